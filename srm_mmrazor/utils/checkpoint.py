import os.path as osp
import re
from typing import Dict, Optional

from mmengine.runner.checkpoint import _load_checkpoint
from torch import Tensor, nn

from ..errors import CheckpointError


def read_weights(filename: str, prefix: str = '') -> Dict[str, Tensor]:
    """The weights under ``prefix`` in a checkpoint, prefix removed (and
    the ``module.`` of DDP-saved checkpoints)."""
    checkpoint = _load_checkpoint(filename, map_location='cpu')
    if not isinstance(checkpoint, dict):
        raise CheckpointError(
            f'{filename} holds a {type(checkpoint).__name__}, not a '
            'checkpoint (a dict of weights, or a dict with a state_dict)')
    state_dict = {
        re.sub(r'^module\.', '', key): value
        for key, value in checkpoint.get('state_dict', checkpoint).items()
    }
    return {
        key[len(prefix):]: value
        for key, value in state_dict.items() if key.startswith(prefix)
    }


def check_fit(module: nn.Module, weights: Dict[str, Tensor], filename: str,
              what: str) -> None:
    """Raise if ``weights`` are not exactly ``module``'s: same names, same
    shapes."""
    expected = module.state_dict()
    missing = sorted(set(expected) - set(weights))
    unexpected = sorted(set(weights) - set(expected))
    reshaped = sorted(name for name in set(expected) & set(weights)
                      if expected[name].shape != weights[name].shape)
    problems = [
        f'{len(names)} {kind} ({", ".join(names[:3])}'
        f'{", ..." if len(names) > 3 else ""})'
        for kind, names in [('missing', missing), ('unexpected', unexpected),
                            ('of another shape', reshaped)] if names
    ]
    if problems:
        raise CheckpointError(
            f'{filename} does not fit the {what}: weights '
            f'{"; ".join(problems)}. Is it the checkpoint of another '
            'architecture?')


def load_weights(module: nn.Module, filename: str, prefix: str = '',
                 what: str = 'model') -> None:
    """Load the weights under ``prefix`` of ``filename`` into ``module``,
    strictly, with an error that names the keys that do not fit."""
    weights = read_weights(filename, prefix)
    check_fit(module, weights, filename, what)
    module.load_state_dict(weights)


def latest_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint to resume in ``work_dir``: the one its
    ``last_checkpoint`` names, found in ``work_dir`` itself (mmengine writes
    a whole path there, which in a copied work dir names the original's
    file). None without ``last_checkpoint``."""
    pointer = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(pointer):
        return None
    with open(pointer) as f:
        named = f.read().strip()
    local = osp.join(work_dir, osp.basename(named))
    if not osp.isfile(local):
        raise CheckpointError(
            f'{pointer} names {named}, which is not in {work_dir}: copy that '
            'checkpoint there, or delete last_checkpoint to start over')
    return local
