# SRM stage 2 (./stage2.py) on ImageNet, its data and the reference's
# schedule.
_base_ = [
    '../datasets/imagenet_bs32.py',
    '../schedules/imagenet_bs256_srm_stage2.py',
    '../default_runtime.py',
    './stage2.py',
]

# The student's classifier is not trained yet: nothing to validate.
val_cfg = val_dataloader = val_evaluator = None
test_cfg = test_dataloader = test_evaluator = None
