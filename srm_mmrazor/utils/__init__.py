from .checkpoint import check_fit, load_weights, read_weights
from .launch import add_common_args, load_config

__all__ = [
    'add_common_args', 'load_config', 'check_fit', 'load_weights',
    'read_weights'
]
