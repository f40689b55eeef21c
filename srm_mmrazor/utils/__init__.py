from .checkpoint import (check_fit, latest_checkpoint, load_weights,
                         read_weights, save_checkpoint, trust_checkpoints)
from .launch import (add_common_args, add_config_args, check_writable,
                     load_config, lock_work_dir, release_work_dirs)

__all__ = [
    'add_common_args', 'add_config_args', 'check_writable', 'load_config',
    'lock_work_dir', 'release_work_dirs',
    'check_fit', 'latest_checkpoint', 'load_weights', 'read_weights',
    'save_checkpoint', 'trust_checkpoints'
]
