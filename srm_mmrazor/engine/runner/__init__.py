from .build import build_runner
from .multi_stage_runner import (MultiStageRunner, logged_scalars,
                                 read_summary, stage_config_file)

__all__ = [
    'MultiStageRunner', 'build_runner', 'logged_scalars', 'read_summary',
    'stage_config_file'
]
