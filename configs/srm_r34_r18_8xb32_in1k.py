# SRM on ImageNet, ResNet-34 (mmpretrain, top-1 73.62) -> ResNet-18,
# the paper's pair:
#   python tools/train.py configs/srm_r34_r18_8xb32_in1k.py
#   bash tools/dist_train.sh configs/srm_r34_r18_8xb32_in1k.py 8
# runs the three stages in work_dirs/srm_r34_r18_8xb32_in1k/{dictionary,intermediate,kd}
# and hands each stage's final checkpoint to the next. Each stage is a normal
# config (configs/imagenet/srm_r34_r18_8xb32_in1k_stage{1,2,3}.py), also
# usable alone.
runner_type = 'mmrazor.MultiStageRunner'
custom_imports = dict(imports=['srm_mmrazor'], allow_failed_imports=False)

stages = dict(
    dictionary=dict(
        title='SRM stage 1: dictionary',
        config='imagenet/srm_r34_r18_8xb32_in1k_stage1.py'),
    intermediate=dict(
        title='SRM stage 2: intermediate layers',
        config='imagenet/srm_r34_r18_8xb32_in1k_stage2.py',
        handoff={'model.dictionary_ckpt': 'dictionary'}),
    kd=dict(
        title='SRM student (stage 3: KD)',
        config='imagenet/srm_r34_r18_8xb32_in1k_stage3.py',
        handoff={'model.architecture.init_cfg.checkpoint': 'intermediate'}),
)
