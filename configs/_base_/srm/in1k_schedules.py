# The reference's ImageNet schedules of the three SRM stages, for a total
# batch of 256 (8 GPUs x 32; --auto-scale-lr scales the learning rates to
# yours). Stage configs pick theirs: optim_wrapper = _base_.stage1_optim_wrapper
# Stage 1, dictionary learning: Adam, no weight decay, lr 1e-3 for 15 epochs,
# 1e-4 for 10, 5e-5 for 10.
stage1_optim_wrapper = dict(
    optimizer=dict(type='Adam', lr=1e-3, weight_decay=0))
stage1_param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[15], gamma=0.1),
    dict(type='MultiStepLR', by_epoch=True, milestones=[25], gamma=0.5),
]
stage1_train_cfg = dict(by_epoch=True, max_epochs=35)

# Stage 2, intermediate layers: SGD with Nesterov momentum, weight decay 1e-4,
# lr 0.1, 0.01, 1e-3, 1e-4 for 20 epochs each.
stage2_optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4))
stage2_param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[20, 40, 60], gamma=0.1)
stage2_train_cfg = dict(by_epoch=True, max_epochs=80)

# Stage 3, KD (alpha 0.3, T 4): SGD with Nesterov momentum, lr 0.1 for 50
# epochs, 0.01 for 30, 1e-3 for 10, 1e-4 for 10.
stage3_optim_wrapper = stage2_optim_wrapper
stage3_param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[50, 80, 90], gamma=0.1)
stage3_train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)

auto_scale_lr = dict(base_batch_size=256)
