# Hinton KD, ResNet-34 -> ResNet-18 on ImageNet, as the SRM paper trains its
# KD baseline and SRM's stage 3 (not MMRazor's kd_logits_resnet34_resnet18_
# 8xb32_in1k.py, which weighs a tau-1 KL by 3):
#   L = alpha * T^2 * KL(teacher || student) + (1 - alpha) * CE(student, label)
# with alpha 0.3 and T 4; the student, its data pipeline and its schedule are
# mmpretrain's ResNet-18 recipe with the paper's steps: SGD with Nesterov
# momentum, lr 0.1 for 50 epochs, 0.01 for 30, 1e-3 for 10, 1e-4 for 10
# (batch 8 x 32); the teacher is mmpretrain's ResNet-34 with its published
# weights (top-1 73.62).
_base_ = [
    'mmpretrain::resnet/resnet18_8xb32_in1k.py',
    '../../../_base_/distillers/kd_logits.py',
]

custom_imports = dict(imports=['srm_mmrazor'], allow_failed_imports=False)

alpha = 0.3
temperature = 4.0

student = _base_.model
student.head.loss.loss_weight = 1 - alpha

model = dict(
    _scope_='mmrazor',
    _delete_=True,
    type='SingleTeacherDistill',
    architecture=student,
    teacher=dict(
        cfg_path='mmpretrain::resnet/resnet34_8xb32_in1k.py',
        pretrained=False),
    teacher_ckpt='https://download.openmmlab.com/mmclassification/v0/resnet/'
    'resnet34_8xb32_in1k_20210831-f257d4e6.pth',
    distiller=dict(
        _base_.kd_distiller,
        distill_losses=dict(
            loss_kd=dict(
                type='KLDivergence', tau=temperature, loss_weight=alpha))))
# mmpretrain's ImageNet preprocessing, built in mmpretrain's registry:
# MMRazor 1.0.0 has no classification preprocessor
data_preprocessor = dict(type='mmpretrain.ClsDataPreprocessor')

optim_wrapper = dict(optimizer=dict(nesterov=True))
param_scheduler = dict(milestones=[50, 80, 90])
# the student's and the teacher's metrics (MMRazor's
# SingleTeacherDistillValLoop), the frozen teacher's computed once
val_cfg = dict(_delete_=True, type='mmrazor.FrozenTeacherDistillValLoop')

# a checkpoint holds the teacher too: keep two; stop at the first NaN/inf loss
default_hooks = dict(checkpoint=dict(max_keep_ckpts=2))
custom_hooks = [dict(type='mmrazor.CheckFiniteLossHook')]
