# SRM stage 2 (intermediate layers) on ImageNet, the reference's schedule for
# a total batch of 256 (8 GPUs x 32; --auto-scale-lr scales the learning rate
# to yours): SGD with Nesterov momentum, weight decay 1e-4, lr 0.1, 0.01, 1e-3
# and 1e-4 for 20 epochs each.
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[20, 40, 60], gamma=0.1)
train_cfg = dict(by_epoch=True, max_epochs=80)

auto_scale_lr = dict(base_batch_size=256)
