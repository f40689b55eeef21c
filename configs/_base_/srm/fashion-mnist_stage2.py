# SRM stage 2 (./stage2.py) on Fashion-MNIST, its data and schedule.
_base_ = [
    '../datasets/fashion_mnist_bs128.py',
    '../schedules/fashion_mnist_bs128_srm_stage2.py',
    '../default_runtime.py',
    './stage2.py',
]

# The student's classifier is not trained yet: nothing to validate.
val_cfg = val_dataloader = val_evaluator = None
test_cfg = test_dataloader = test_evaluator = None
