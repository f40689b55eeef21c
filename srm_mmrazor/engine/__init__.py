from .runner import MultiStageRunner

__all__ = ['MultiStageRunner']
