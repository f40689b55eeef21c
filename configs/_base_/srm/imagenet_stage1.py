# SRM stage 1 on ImageNet, what every pair shares: learn a sparse dictionary
# of the frozen teacher's feature maps at each matched point, on the
# reference's schedule. A pair's stage-1 config inherits this and its points
# (_base_/srm/<teacher>_<student>_in1k.py) and fills in the teacher and the
# coders: model = dict(teacher=..., teacher_ckpt=..., distiller=dict(
# teacher_recorders=..., coders=...)).
_base_ = [
    '../datasets/imagenet_bs32.py',
    '../schedules/imagenet_bs256_srm_stage1.py',
    '../default_runtime.py',
]

model = dict(
    _scope_='mmrazor',
    type='SRMDictionaryLearning',
    distiller=dict(type='SRMDistiller'))

# Only the frozen teacher runs: validation or a test would score the teacher
# alone (and mmengine's Runner refuses a test_dataloader without a test_cfg).
val_cfg = val_dataloader = val_evaluator = None
test_cfg = test_dataloader = test_evaluator = None
