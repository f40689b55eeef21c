# SRM stage 1 on ImageNet, ResNet-34 -> ResNet-18: the teacher's dictionary at
# each of the pair's points.
_base_ = [
    '../../../_base_/srm/imagenet_stage1.py',
    '../../../_base_/srm/resnet34_resnet18_in1k.py',
]

model = dict(
    teacher=_base_.teacher_model,
    teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.stage1_distiller)
