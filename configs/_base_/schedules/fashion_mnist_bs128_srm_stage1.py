# SRM stage 1 (dictionary learning) on Fashion-MNIST: Adam, no weight decay
# (the reference's stage-1 optimizer), one epoch of cosine decay by iteration.
_base_ = ['./fashion_mnist_bs128.py']

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='Adam', lr=1e-3, weight_decay=0))
train_cfg = dict(max_epochs=1)
param_scheduler = dict(end=1)
