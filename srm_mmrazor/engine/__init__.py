from .hooks import CheckFiniteLossHook
from .preflight import check_before_training
from .runner import MultiStageRunner, stage_config_file

__all__ = [
    'CheckFiniteLossHook', 'MultiStageRunner', 'check_before_training',
    'stage_config_file'
]
