from .launch import add_common_args, load_config

__all__ = ['add_common_args', 'load_config']
