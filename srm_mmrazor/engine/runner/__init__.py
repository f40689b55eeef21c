from .multi_stage_runner import MultiStageRunner

__all__ = ['MultiStageRunner']
