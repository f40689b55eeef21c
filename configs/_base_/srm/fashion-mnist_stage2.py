# SRM stage 2 on Fashion-MNIST, what every pair shares: the student's
# intermediate layers learn to predict the teacher's sparse codes (image and
# pixel level), from the frozen teacher and the frozen stage-1 coders (one
# epoch of cosine decay by iteration). No class-label loss. A pair's stage-2
# config inherits this and its points and fills in the models, the coders and
# the heads.
_base_ = [
    '../datasets/fashion_mnist_bs128.py',
    '../schedules/fashion_mnist_bs128.py',
    '../default_runtime.py',
]

model = dict(
    _scope_='mmrazor',
    type='SRMIntermediateDistill',
    distiller=dict(
        type='SRMDistiller', objective='global-local', alignment=None))

# The optimizer stage 3 trains with (SGD, Nesterov momentum, lr 0.1), as the
# reference's ImageNet stage 2; weight decay 1e-4 as the reference's. Not
# Adam (the reference's CIFAR stage 2): Adam leaves the student's weights at
# their initial scale, and stage 3's SGD started there trained ShuffleNetV2
# below the student alone (docs/benchmarks.md, "Students no config names").
# The reference's CIFAR choice:
#   optim_wrapper = dict(optimizer=dict(
#       _delete_=True, type='Adam', lr=1e-3, weight_decay=1e-4))
optim_wrapper = dict(optimizer=dict(weight_decay=1e-4))
train_cfg = dict(max_epochs=1)
param_scheduler = dict(end=1)
# The student's classifier is not trained yet: nothing to validate.
val_cfg = val_dataloader = val_evaluator = None
test_cfg = test_dataloader = test_evaluator = None
