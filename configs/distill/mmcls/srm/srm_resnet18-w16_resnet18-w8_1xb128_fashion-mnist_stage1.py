# SRM stage 1 on Fashion-MNIST, ResNet-18 w16 -> w8: the teacher's
# dictionary at each of the pair's points.
_base_ = [
    '../../../_base_/srm/fashion-mnist_stage1.py',
    '../../../_base_/srm/resnet18-w16_resnet18-w8_fashion-mnist.py',
]

model = dict(
    teacher=_base_.teacher_model,
    teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.stage1_distiller)
