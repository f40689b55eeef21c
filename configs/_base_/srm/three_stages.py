# SRM's three stages in order, run by MultiStageRunner in one work dir
# ({dictionary,intermediate,kd}), each stage's final checkpoint handed to the
# next. A pair's multi-stage config inherits this and names its stage configs:
#   stages = dict(dictionary=dict(config='..._stage1.py'),
#                 intermediate=dict(config='..._stage2.py'),
#                 kd=dict(config='..._stage3.py'))
runner_type = 'mmrazor.MultiStageRunner'
custom_imports = dict(imports=['srm_mmrazor'], allow_failed_imports=False)
# what a training script's --amp and --auto-scale-lr edit (MMRazor's
# tools/train.py needs both keys): the runner passes the optimizer wrapper
# and auto_scale_lr's `enable` on to every stage, each stage scaling from its
# own base_batch_size
optim_wrapper = dict(type='OptimWrapper')
auto_scale_lr = dict(enable=False, base_batch_size=256)

stages = dict(
    dictionary=dict(title='SRM stage 1: dictionary'),
    intermediate=dict(
        title='SRM stage 2: intermediate layers',
        handoff={'model.dictionary_ckpt': 'dictionary'}),
    kd=dict(
        title='SRM student (stage 3: KD)',
        handoff={'model.architecture.init_cfg.checkpoint': 'intermediate'}),
)
