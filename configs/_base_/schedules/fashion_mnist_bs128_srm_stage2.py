# SRM stage 2 (intermediate layers) on Fashion-MNIST: the optimizer stage 3
# trains with (SGD, Nesterov momentum, lr 0.1), as the reference's ImageNet
# stage 2, weight decay 1e-4 as the reference's; one epoch of cosine decay by
# iteration. Not Adam (the reference's CIFAR stage 2): Adam leaves the
# student's weights at their initial scale, and stage 3's SGD started there
# trained ShuffleNetV2 below the student alone (docs/benchmarks_previous.md,
# "Students no config names"). The reference's CIFAR choice:
#   optim_wrapper = dict(optimizer=dict(
#       _delete_=True, type='Adam', lr=1e-3, weight_decay=1e-4))
_base_ = ['./fashion_mnist_bs128.py']

optim_wrapper = dict(optimizer=dict(weight_decay=1e-4))
train_cfg = dict(max_epochs=1)
param_scheduler = dict(end=1)
