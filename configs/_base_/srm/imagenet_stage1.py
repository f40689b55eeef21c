# SRM stage 1 (./stage1.py) on ImageNet, its data and the reference's
# schedule.
_base_ = [
    '../datasets/imagenet_bs32.py',
    '../schedules/imagenet_bs256_srm_stage1.py',
    '../default_runtime.py',
    './stage1.py',
]

# Only the frozen teacher runs: validation or a test would score the teacher
# alone (and mmengine's Runner refuses a test_dataloader without a test_cfg).
val_cfg = val_dataloader = val_evaluator = None
test_cfg = test_dataloader = test_evaluator = None
