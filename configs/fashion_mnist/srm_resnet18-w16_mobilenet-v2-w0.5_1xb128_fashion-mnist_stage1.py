# SRM stage 1 on Fashion-MNIST: learn a sparse dictionary of the frozen
# teacher's feature maps at each matched point (Adam, no weight decay).
_base_ = [
    '../_base_/models/fashion_mnist_pair.py',
    '../_base_/srm/fashion_mnist_points.py',
    '../_base_/datasets/fashion_mnist_bs128.py',
    '../_base_/fashion_mnist_runtime.py',
]

max_epochs = 2
model = dict(
    _scope_='mmrazor',
    type='SRMDictionaryLearning',
    teacher=_base_.teacher_model,
    teacher_ckpt='work_dirs/resnet18-w16_1xb128_fashion-mnist/epoch_10.pth',
    distiller=dict(
        type='SRMDistiller',
        teacher_recorders=_base_.teacher_recorders,
        coders=_base_.coders))

optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3, weight_decay=0))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[max_epochs - 1], gamma=0.1)
train_cfg = dict(by_epoch=True, max_epochs=max_epochs)
# Only the frozen teacher runs: validation would score the teacher alone.
# tools/test.py on a checkpoint of this stage does that, as a sanity check.
val_cfg = val_dataloader = val_evaluator = None
test_cfg = dict()
