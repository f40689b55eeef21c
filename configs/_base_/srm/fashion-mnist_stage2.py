# SRM stage 2 on Fashion-MNIST, what every pair shares: the student's
# intermediate layers learn to predict the teacher's sparse codes (image and
# pixel level), from the frozen teacher and the frozen stage-1 coders. No
# class-label loss. A pair's stage-2 config inherits this and its points and
# fills in the models, the coders and the heads.
_base_ = [
    '../datasets/fashion_mnist_bs128.py',
    '../schedules/fashion_mnist_bs128_srm_stage2.py',
    '../default_runtime.py',
]

model = dict(
    _scope_='mmrazor',
    type='SRMIntermediateDistill',
    distiller=dict(
        type='SRMDistiller', objective='global-local', alignment=None))

# The student's classifier is not trained yet: nothing to validate.
val_cfg = val_dataloader = val_evaluator = None
test_cfg = test_dataloader = test_evaluator = None
