from .checkpoint import (check_fit, latest_checkpoint, load_weights,
                         read_weights)
from .launch import (add_common_args, load_config, lock_work_dir,
                     trust_checkpoints)

__all__ = [
    'add_common_args', 'load_config', 'lock_work_dir', 'trust_checkpoints',
    'check_fit', 'latest_checkpoint', 'load_weights', 'read_weights'
]
