# SGD with Nesterov momentum, cosine decay by iteration over 10 epochs. To
# change the length, set both train_cfg.max_epochs and param_scheduler.end.
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4))
param_scheduler = dict(
    type='CosineAnnealingLR',
    by_epoch=True,
    begin=0,
    end=10,
    convert_to_iter_based=True)

train_cfg = dict(by_epoch=True, max_epochs=10, val_interval=1)
val_cfg = dict()
test_cfg = dict()

auto_scale_lr = dict(base_batch_size=128)
