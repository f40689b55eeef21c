# SRM's stage 3 starts from the stage-2 student with a classifier that has not
# trained yet: its learning rate warms up linearly from 1% of the KD
# baseline's (the scheduler of the KD config the stage-3 config inherits
# runs unchanged beside it). At the full rate from the first iteration, the
# new classifier's gradients can undo what stage 2 taught the student
# (docs/srm_stage3_warmup.md: what it fixes and what it does not). A
# stage-3 config puts it first:
#   param_scheduler = [dict(_base_.stage3_warmup, end=EPOCHS),
#                      _base_.param_scheduler]
# (the reference's stage 3, at the full rate from the first iteration:
#   param_scheduler = _base_.param_scheduler)
stage3_warmup = dict(
    type='LinearLR',
    start_factor=0.01,
    by_epoch=True,
    begin=0,
    convert_to_iter_based=True)
