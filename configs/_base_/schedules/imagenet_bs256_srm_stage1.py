# SRM stage 1 (dictionary learning) on ImageNet, the reference's schedule for
# a total batch of 256 (8 GPUs x 32; --auto-scale-lr scales the learning rate
# to yours): Adam, no weight decay, lr 1e-3 for 15 epochs, 1e-4 for 10, 5e-5
# for 10.
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3, weight_decay=0))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[15], gamma=0.1),
    dict(type='MultiStepLR', by_epoch=True, milestones=[25], gamma=0.5),
]
train_cfg = dict(by_epoch=True, max_epochs=35)

auto_scale_lr = dict(base_batch_size=256)
