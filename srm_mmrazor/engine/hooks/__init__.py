from .check_finite_loss_hook import CheckFiniteLossHook

__all__ = ['CheckFiniteLossHook']
