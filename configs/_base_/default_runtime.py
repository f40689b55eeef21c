# mmpretrain's runtime, plus this plugin and at most two kept checkpoints
# (a distillation checkpoint holds the teacher too).
_base_ = 'mmpretrain::_base_/default_runtime.py'

custom_imports = dict(imports=['srm_mmrazor'], allow_failed_imports=False)

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50),
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=2))

# stop at the first NaN/inf loss, before a broken checkpoint is saved
custom_hooks = [dict(type='mmrazor.CheckFiniteLossHook')]
