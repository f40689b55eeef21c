# SRM stage 2 on Fashion-MNIST: the student's intermediate layers learn to
# predict the teacher's sparse codes (image and pixel level), from the frozen
# teacher and the frozen stage-1 coders. No class-label loss.
_base_ = [
    '../_base_/models/fashion_mnist_pair.py',
    '../_base_/srm/fashion_mnist_points.py',
    '../_base_/datasets/fashion_mnist_bs128.py',
    '../_base_/schedules/fashion_mnist_bs128.py',
    '../_base_/default_runtime.py',
]

model = dict(
    _scope_='mmrazor',
    type='SRMIntermediateDistill',
    architecture=_base_.student_model,
    teacher=_base_.teacher_model,
    teacher_ckpt='work_dirs/resnet18-w16_1xb128_fashion-mnist/epoch_10.pth',
    dictionary_ckpt='work_dirs/srm_resnet18-w16_resnet18-w8_'
    '1xb128_fashion-mnist_stage1/epoch_1.pth',
    distiller=dict(
        type='SRMDistiller',
        teacher_recorders=_base_.teacher_recorders,
        student_recorders=_base_.student_recorders,
        coders=_base_.coders,
        heads=_base_.heads,
        objective='global-local',
        alignment=None))

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='Adam', lr=1e-3, weight_decay=1e-4))
# one epoch, cosine decay (by iteration) from the base schedule
train_cfg = dict(max_epochs=1)
param_scheduler = dict(end=1)
# The student's classifier is not trained yet: nothing to validate.
val_cfg = val_dataloader = val_evaluator = None
test_cfg = test_dataloader = test_evaluator = None
