# Hinton KD on Fashion-MNIST, ResNet-18 w16 -> w8:
#   L = alpha * T^2 * KL(teacher || student) + (1 - alpha) * CE(student, label).
# Train the teacher first with
# vanilla/mmcls/resnet/resnet18-w16_1xb128_fashion-mnist.py.
_base_ = [
    '../../../_base_/models/resnet18_cifar_fashion-mnist.py',
    '../../../_base_/distillers/kd_logits.py',
    '../../../_base_/datasets/fashion_mnist_bs128.py',
    '../../../_base_/schedules/fashion_mnist_bs128.py',
    '../../../_base_/default_runtime.py',
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
    teacher_ckpt=_base_.teacher_ckpt,
    distiller=dict(
        _base_.kd_distiller,
        distill_losses=dict(
            loss_kd=dict(
                type='KLDivergence', tau=temperature, loss_weight=alpha))))

# the student's and the teacher's metrics (MMRazor's
# SingleTeacherDistillValLoop), the frozen teacher's computed once
val_cfg = dict(_delete_=True, type='mmrazor.FrozenTeacherDistillValLoop')
