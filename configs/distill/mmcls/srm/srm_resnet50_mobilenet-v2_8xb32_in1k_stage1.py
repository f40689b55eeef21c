# SRM stage 1 on ImageNet, ResNet-50 -> MobileNetV2: the teacher's dictionary at
# each of the pair's points.
_base_ = [
    '../../../_base_/srm/imagenet_stage1.py',
    '../../../_base_/srm/resnet50_mobilenet-v2_in1k.py',
]

model = dict(
    teacher=_base_.teacher_model,
    teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.stage1_distiller)
