# Hinton KD on Fashion-MNIST: L = alpha * T^2 * KL(teacher || student)
#                                 + (1 - alpha) * CE(student, label).
# Train the teacher first with resnet18-w16_1xb128_fashion-mnist.py; point
# at another checkpoint with --cfg-options model.teacher_ckpt=PATH.
_base_ = [
    '../_base_/models/fashion_mnist_pair.py',
    '../_base_/datasets/fashion_mnist_bs128.py',
    '../_base_/schedules/fashion_mnist_bs128.py',
    '../_base_/default_runtime.py',
]

alpha = 0.5
temperature = 4.0

student = _base_.student_model
student.head.loss.loss_weight = 1 - alpha

model = dict(
    _scope_='mmrazor',
    type='SingleTeacherDistill',
    architecture=student,
    teacher=_base_.teacher_model,
    teacher_ckpt='work_dirs/resnet18-w16_1xb128_fashion-mnist/epoch_10.pth',
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

val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
