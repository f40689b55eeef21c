from .build import build_runner
from .multi_stage_runner import (MultiStageRunner, finished, logged_scalars,
                                 read_summary, stage_config_file)

__all__ = [
    'MultiStageRunner', 'build_runner', 'finished', 'logged_scalars',
    'read_summary', 'stage_config_file'
]
