# SRM stage 2 on Fashion-MNIST, ResNet-18 w16 -> w8: the student's points
# learn to predict the teacher's sparse codes.
_base_ = [
    '../../../_base_/srm/fashion-mnist_stage2.py',
    '../../../_base_/srm/resnet18-w16_resnet18-w8_fashion-mnist.py',
]

model = dict(
    architecture=_base_.student_model,
    teacher=_base_.teacher_model,
    teacher_ckpt=_base_.teacher_ckpt,
    dictionary_ckpt='work_dirs/srm_resnet18-w16_resnet18-w8_'
    '1xb128_fashion-mnist_stage1/epoch_1.pth',
    distiller=_base_.stage2_distiller)
