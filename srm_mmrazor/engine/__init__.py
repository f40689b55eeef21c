from .hooks import CheckFiniteLossHook
from .preflight import check_before_training
from .runner import (FrozenTeacherDistillValLoop, MultiStageRunner,
                     build_runner, finished, logged_scalars, read_summary,
                     stage_config_file)

__all__ = [
    'CheckFiniteLossHook', 'FrozenTeacherDistillValLoop', 'MultiStageRunner',
    'build_runner', 'check_before_training', 'finished', 'logged_scalars',
    'read_summary', 'stage_config_file'
]
