# Hinton KD, ResNet-50 -> MobileNetV2 1.0x on ImageNet, as MMRazor's
# distill/mmcls/kd/kd_logits_resnet50_mobilenet-v2_8xb32_in1k.py (its
# student alone 71.86, KD 73.56) on mmpretrain: the student, its data
# pipeline and its schedule are mmpretrain's MobileNetV2 recipe (SGD lr 0.045,
# weight decay 4e-5, 300 epochs, lr x0.98 each epoch, batch 8 x 32); the
# teacher is mmpretrain's ResNet-50 with its published weights (top-1 76.55);
# KL divergence with tau 1, weight 5, beside the student's cross-entropy
# (logged as distill.loss_kd, as every KD config here names it).
# SRM's stage 3 is this config started from SRM's stage-2 student.
_base_ = [
    'mmpretrain::mobilenet_v2/mobilenet-v2_8xb32_in1k.py',
    '../../../_base_/distillers/kd_logits.py',
]

custom_imports = dict(imports=['srm_mmrazor'], allow_failed_imports=False)

teacher_ckpt = ('https://download.openmmlab.com/mmclassification/v0/resnet/'
                'resnet50_8xb32_in1k_20210831-ea4938fc.pth')

model = dict(
    _scope_='mmrazor',
    _delete_=True,
    type='SingleTeacherDistill',
    architecture=_base_.model,
    teacher=dict(
        cfg_path='mmpretrain::resnet/resnet50_8xb32_in1k.py',
        pretrained=False),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        _base_.kd_distiller,
        distill_losses=dict(
            loss_kd=dict(type='KLDivergence', tau=1, loss_weight=5))))
# mmpretrain's ImageNet preprocessing (the recipe's mean, std, RGB), built in
# mmpretrain's registry: MMRazor 1.0.0 has no classification preprocessor
data_preprocessor = dict(type='mmpretrain.ClsDataPreprocessor')

find_unused_parameters = True

# the student's and the teacher's metrics (MMRazor's
# SingleTeacherDistillValLoop), the frozen teacher's computed once
val_cfg = dict(_delete_=True, type='mmrazor.FrozenTeacherDistillValLoop')

# a checkpoint holds the teacher too: keep two of the 300; stop at the first
# NaN/inf loss
default_hooks = dict(checkpoint=dict(max_keep_ckpts=2))
custom_hooks = [dict(type='mmrazor.CheckFiniteLossHook')]
