# SRM stage 3 on ImageNet, ResNet-50 -> MobileNetV2: Hinton KD of the student
# initialised from stage 2 (its SRM heads dropped), from the original teacher:
# L = alpha * T^2 * KL(teacher || student) + (1 - alpha) * CE(student, label).
_base_ = [
    '../_base_/srm/resnet50_mobilenet-v2_in1k.py',
    '../_base_/srm/in1k_data.py',
    '../_base_/srm/in1k_schedules.py',
    '../_base_/default_runtime.py',
]

alpha = 0.3
temperature = 4.0

student = _base_.student_model
student.head.loss.loss_weight = 1 - alpha
student.init_cfg = dict(
    type='Pretrained',
    checkpoint='work_dirs/srm_r50_mbv2_8xb32_in1k_stage2/epoch_80.pth',
    prefix='architecture.')

model = dict(
    _scope_='mmrazor',
    type='SingleTeacherDistill',
    architecture=student,
    teacher=_base_.teacher_model,
    teacher_ckpt=_base_.teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            logits=dict(type='ModuleOutputs', source='head.fc')),
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='head.fc')),
        distill_losses=dict(
            loss_kd=dict(
                type='KLDivergence', tau=temperature, loss_weight=alpha)),
        loss_forward_mappings=dict(
            loss_kd=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))))

optim_wrapper = _base_.stage3_optim_wrapper
param_scheduler = _base_.stage3_param_scheduler
train_cfg = _base_.stage3_train_cfg
val_cfg = dict(type='mmrazor.SingleTeacherDistillValLoop')
test_cfg = dict()
