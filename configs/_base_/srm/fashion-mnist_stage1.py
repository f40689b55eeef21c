# SRM stage 1 (./stage1.py) on Fashion-MNIST, its data and schedule.
_base_ = [
    '../datasets/fashion_mnist_bs128.py',
    '../schedules/fashion_mnist_bs128_srm_stage1.py',
    '../default_runtime.py',
    './stage1.py',
]

# Only the frozen teacher runs: validation would score the teacher alone.
# tools/test.py on a checkpoint of this stage does that, as a sanity check.
val_cfg = val_dataloader = val_evaluator = None
