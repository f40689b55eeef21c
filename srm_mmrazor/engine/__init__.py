from .hooks import CheckFiniteLossHook
from .preflight import check_before_training
from .runner import MultiStageRunner

__all__ = ['CheckFiniteLossHook', 'MultiStageRunner', 'check_before_training']
