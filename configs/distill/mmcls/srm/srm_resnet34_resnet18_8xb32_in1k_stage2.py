# SRM stage 2 on ImageNet, ResNet-34 -> ResNet-18: the student's points learn
# to predict the teacher's sparse codes, on the reference's schedule.
_base_ = [
    '../../../_base_/srm/imagenet_stage2.py',
    '../../../_base_/srm/resnet34_resnet18_in1k.py',
]

model = dict(
    architecture=_base_.student_model,
    teacher=_base_.teacher_model,
    teacher_ckpt=_base_.teacher_ckpt,
    dictionary_ckpt='work_dirs/srm_resnet34_resnet18_8xb32_in1k_stage1/'
    'epoch_35.pth',
    distiller=_base_.stage2_distiller)
