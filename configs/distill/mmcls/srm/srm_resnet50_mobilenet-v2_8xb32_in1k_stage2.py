# SRM stage 2 on ImageNet, ResNet-50 -> MobileNetV2: the student's points
# learn to predict the teacher's sparse codes.
_base_ = [
    '../../../_base_/srm/imagenet_stage2.py',
    '../../../_base_/srm/resnet50_mobilenet-v2_in1k.py',
]

model = dict(
    architecture=_base_.student_model,
    teacher=_base_.teacher_model,
    teacher_ckpt=_base_.teacher_ckpt,
    dictionary_ckpt='work_dirs/srm_resnet50_mobilenet-v2_8xb32_in1k_stage1/'
    'epoch_35.pth',
    distiller=_base_.stage2_distiller)

# The reference's stage-2 schedule (80 epochs, lr x0.1 at 20, 40 and 60) with
# MobileNetV2's own learning rate and weight decay (mmpretrain's recipe: lr
# 0.045, weight decay 4e-5) instead of the ResNet values (0.1, 1e-4): its
# depthwise filters have so few weights that they need little weight decay
# (MobileNets, Howard et al. 2017), and stage 3 trains with the same values.
optim_wrapper = dict(optimizer=dict(lr=0.045, weight_decay=4e-5))
