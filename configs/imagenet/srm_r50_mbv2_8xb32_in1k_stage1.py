# SRM stage 1 on ImageNet, ResNet-50 -> MobileNetV2: learn a sparse dictionary of the
# frozen teacher's feature maps at each matched point.
_base_ = [
    '../_base_/srm/resnet50_mobilenet-v2_in1k.py',
    '../_base_/srm/in1k_data.py',
    '../_base_/srm/in1k_schedules.py',
    '../_base_/default_runtime.py',
]

model = dict(
    _scope_='mmrazor',
    type='SRMDictionaryLearning',
    teacher=_base_.teacher_model,
    teacher_ckpt=_base_.teacher_ckpt,
    distiller=dict(
        type='SRMDistiller',
        teacher_recorders=_base_.teacher_recorders,
        coders=_base_.coders))

optim_wrapper = _base_.stage1_optim_wrapper
param_scheduler = _base_.stage1_param_scheduler
train_cfg = _base_.stage1_train_cfg
# Only the frozen teacher runs: validation or a test would score the teacher
# alone (and mmengine's Runner refuses a test_dataloader without a test_cfg).
val_cfg = val_dataloader = val_evaluator = None
test_cfg = test_dataloader = test_evaluator = None
