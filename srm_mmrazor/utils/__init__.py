from .launch import ConfigError, add_common_args, load_config

__all__ = ['ConfigError', 'add_common_args', 'load_config']
