from .build import build_runner
from .distill_val_loop import FrozenTeacherDistillValLoop
from .multi_stage_runner import (MultiStageRunner, finished, logged_scalars,
                                 read_summary, stage_config_file)

__all__ = [
    'FrozenTeacherDistillValLoop', 'MultiStageRunner', 'build_runner',
    'finished', 'logged_scalars', 'read_summary', 'stage_config_file'
]
