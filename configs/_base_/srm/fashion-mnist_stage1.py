# SRM stage 1 on Fashion-MNIST, what every pair shares: learn a sparse
# dictionary of the frozen teacher's feature maps at each matched point. A
# pair's stage-1 config inherits this and its points and fills in the teacher
# and the coders.
_base_ = [
    '../datasets/fashion_mnist_bs128.py',
    '../schedules/fashion_mnist_bs128_srm_stage1.py',
    '../default_runtime.py',
]

model = dict(
    _scope_='mmrazor',
    type='SRMDictionaryLearning',
    distiller=dict(type='SRMDistiller'))

# Only the frozen teacher runs: validation would score the teacher alone.
# tools/test.py on a checkpoint of this stage does that, as a sanity check.
val_cfg = val_dataloader = val_evaluator = None
