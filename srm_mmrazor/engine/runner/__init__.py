from .multi_stage_runner import MultiStageRunner, stage_config_file

__all__ = ['MultiStageRunner', 'stage_config_file']
