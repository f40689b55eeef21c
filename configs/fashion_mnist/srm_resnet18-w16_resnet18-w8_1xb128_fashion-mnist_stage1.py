# SRM stage 1 on Fashion-MNIST: learn a sparse dictionary of the frozen
# teacher's feature maps at each matched point (Adam, no weight decay).
_base_ = [
    '../_base_/models/fashion_mnist_pair.py',
    '../_base_/srm/fashion_mnist_points.py',
    '../_base_/datasets/fashion_mnist_bs128.py',
    '../_base_/schedules/fashion_mnist_bs128.py',
    '../_base_/default_runtime.py',
]

model = dict(
    _scope_='mmrazor',
    type='SRMDictionaryLearning',
    teacher=_base_.teacher_model,
    teacher_ckpt='work_dirs/resnet18-w16_1xb128_fashion-mnist/epoch_10.pth',
    distiller=dict(
        type='SRMDistiller',
        teacher_recorders=_base_.teacher_recorders,
        coders=_base_.coders))

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='Adam', lr=1e-3, weight_decay=0))
# one epoch, cosine decay (by iteration) from the base schedule
train_cfg = dict(max_epochs=1)
param_scheduler = dict(end=1)
# Only the frozen teacher runs: validation would score the teacher alone.
# tools/test.py on a checkpoint of this stage does that, as a sanity check.
val_cfg = val_dataloader = val_evaluator = None
test_cfg = dict()
