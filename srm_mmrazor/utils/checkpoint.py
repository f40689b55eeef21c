"""Every checkpoint the plugin and its tools read or write goes through
here: loaded under one policy (weights-only, plus what mmengine's training
checkpoints hold, unless the user trusts the file), fitted strictly with an
error that names what does not fit, and saved whole or not at all.

:func:`install` routes mmengine's own loading (``load_from``, resume,
``Pretrained`` initialisation, URLs) and saving through this module;
importing ``srm_mmrazor`` calls it. A process trusts the files given to
:func:`trust_checkpoints`: the tools' ``--trust-checkpoint`` and a config's
``trusted_checkpoints = [...]``.
"""
import os
import os.path as osp
import pickle
import re
from typing import Callable, Dict, Iterable, Optional

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import checkpoint as mm_checkpoint
from mmengine.runner import runner as mm_runner
from mmengine.runner.checkpoint import _load_checkpoint
from torch import Tensor, nn

from ..errors import CheckpointError, CheckpointRefused, ConfigError

_trusted = set()  # absolute paths and URLs this process may fully unpickle


def _key(filename: str) -> str:
    return filename if '://' in filename else osp.abspath(
        osp.expanduser(filename))


def trust_checkpoints(paths: Iterable[str]) -> None:
    """Let this process fully unpickle the checkpoints at ``paths`` (local
    paths or URLs). Each process of a distributed run reads its own
    arguments and config, so each trusts the same files. A config's
    ``trusted_checkpoints`` is no less safe than the config itself: both
    run code."""
    if isinstance(paths, str) or not all(isinstance(p, str) for p in paths):
        raise ConfigError(
            f'trusted_checkpoints={paths!r}: give a list of checkpoint paths '
            "or URLs, e.g. ['work_dirs/teacher/epoch_100.pth']")
    _trusted.update(_key(path) for path in paths)


def _history_buffer_statistic(owner, name):
    """``getattr`` as mmengine's checkpoints need it, and no further: they
    pickle ``HistoryBuffer``'s statistics methods as
    ``getattr(HistoryBuffer, 'mean')``. Any other ``getattr`` could reach
    callables that write files, so it is refused."""
    if (owner is HistoryBuffer and not name.startswith('_')
            and callable(vars(HistoryBuffer).get(name))):
        return getattr(HistoryBuffer, name)
    raise pickle.UnpicklingError(
        f'refused getattr({owner!r}, {name!r}) while unpickling')


def _mmengine_state_globals() -> list:
    """The globals, besides tensors, that mmengine's training checkpoints
    hold (message hub history as numpy arrays and scalars): loading them
    builds data, never runs code."""
    multiarray = (np._core.multiarray if hasattr(np, '_core') else
                  np.core.multiarray)
    numeric = (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8,
               np.uint16, np.uint32, np.uint64, np.float16, np.float32,
               np.float64)
    return [
        HistoryBuffer,
        (_history_buffer_statistic, 'builtins.getattr'),
        np.ndarray,
        np.dtype,
        *{type(np.dtype(t)) for t in numeric},
        # numpy >= 2 writes numpy._core, numpy 1 numpy.core
        (multiarray._reconstruct, 'numpy._core.multiarray._reconstruct'),
        (multiarray._reconstruct, 'numpy.core.multiarray._reconstruct'),
        (multiarray.scalar, 'numpy._core.multiarray.scalar'),
        (multiarray.scalar, 'numpy.core.multiarray.scalar'),
    ]


def _load_under_policy(load: Callable[[bool], dict], filename: str):
    """Run ``load(weights_only)`` on ``filename``: weights-only unpickling
    plus :func:`_mmengine_state_globals`, unless the file is trusted.
    Refusals and unreadable files raise errors that name the file and the
    way out."""
    trusted = _key(filename) in _trusted
    try:
        with torch.serialization.safe_globals(_mmengine_state_globals()):
            return load(not trusted)
    except pickle.UnpicklingError as error:
        if trusted or not _saved_by_torch(filename):
            raise _corrupted(filename, error) from None
        boilerplate = ('Weights only load failed', 'Check the documentation',
                       'Please file an issue', '(1)', '(2)')
        reason = ' '.join(
            line.strip() for line in str(error).splitlines()
            if line.strip() and not line.strip().startswith(boilerplate))
        raise CheckpointRefused(
            f'refused to load checkpoint {filename}: it holds pickled objects '
            f'beyond tensors and training state, which could run code when '
            f'loaded ({reason}). If you trust this file, allow it with '
            f'--trust-checkpoint {filename} (or, in a config, '
            'trusted_checkpoints = [...])') from None
    except (RuntimeError, EOFError, KeyError, ValueError) as error:
        raise _corrupted(filename, error) from None


def _saved_by_torch(filename: str) -> bool:
    """Whether a local file starts as torch.save writes (a zip archive, or
    a pickle of protocol 2 or later); URLs are given the benefit."""
    if '://' in filename:
        return True
    with open(filename, 'rb') as f:
        start = f.read(4)
    return start == b'PK\x03\x04' or start[:1] == b'\x80'


def _corrupted(filename: str, error: Exception) -> CheckpointError:
    reason = str(error).splitlines()[0] if str(error) else 'empty or cut short'
    return CheckpointError(
        f'checkpoint {filename} is truncated or corrupted '
        f'({type(error).__name__}: {reason}); delete it and resume from an '
        'earlier one, or save it again')


def _load_from_local(filename: str, map_location=None) -> dict:
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise CheckpointError(f'checkpoint {filename} does not exist')
    return _load_under_policy(
        lambda weights_only: torch.load(
            filename, map_location=map_location, weights_only=weights_only),
        filename)


def _load_file_url(filename: str, map_location=None) -> dict:
    return _load_from_local(filename[len('file://'):], map_location)


def _load_url(url, model_dir=None, map_location=None, progress=True,
              check_hash=False, file_name=None) -> dict:
    """mmengine's ``load_url`` (torch's hub download and cache) under the
    policy, with errors for a broken cached file and a failed download."""
    cached = osp.join(
        model_dir or osp.join(torch.hub.get_dir(), 'checkpoints'),
        file_name or osp.basename(url.split('?')[0]))
    if osp.isfile(cached) and not _saved_by_torch(cached):
        raise CheckpointError(
            f'checkpoint {url} is truncated or corrupted: it was '
            f'downloaded to {cached}, which is not a file torch.save '
            'writes. Delete that file to download it again')
    try:
        return _load_under_policy(
            lambda weights_only: torch.hub.load_state_dict_from_url(
                url, model_dir=model_dir, map_location=map_location,
                progress=progress, check_hash=check_hash,
                file_name=file_name, weights_only=weights_only), url)
    except OSError as error:  # URLError, timeouts, refused connections
        raise CheckpointError(
            f'cannot download checkpoint {url} ({error}); download it '
            'where there is a network and give the local path '
            'instead') from None


def save_checkpoint(checkpoint: dict, filename: str,
                    then: str = 'rerun with --resume') -> None:
    """Write ``checkpoint`` to the local file ``filename`` whole or not at
    all: to ``<filename>.partial``, renamed when whole (a rename within a
    folder is atomic), so a process killed while saving leaves no truncated
    file that looks complete. A failed write leaves nothing and raises an
    error that says how much space it needs, and to ``then``."""
    partial = f'{filename}.partial'
    try:
        mm_checkpoint.save_checkpoint(checkpoint, partial)
    except OSError as error:
        if osp.exists(partial):
            os.remove(partial)
        raise CheckpointError(
            f'could not save checkpoint {filename} ({error}); the '
            'checkpoints saved before it are kept. It needs about '
            f'{_tensor_bytes(checkpoint) / 2**20:.0f} MiB: free space in '
            f'{osp.dirname(osp.abspath(filename))}, then {then}') from None
    os.replace(partial, filename)


def _save_local_whole(checkpoint, filename, file_client_args=None,
                      backend_args=None) -> None:
    """mmengine's ``save_checkpoint``, with local files saved by
    :func:`save_checkpoint`."""
    if '://' in str(filename) or file_client_args or backend_args:
        return mm_checkpoint.save_checkpoint(checkpoint, filename,
                                             file_client_args, backend_args)
    save_checkpoint(checkpoint, filename)


def _tensor_bytes(value) -> int:
    """The bytes of the tensors in a (nested) checkpoint."""
    if isinstance(value, torch.Tensor):
        return value.numel() * value.element_size()
    if isinstance(value, dict):
        return sum(_tensor_bytes(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_tensor_bytes(v) for v in value)
    return 0


def install() -> None:
    """Route mmengine 0.10's checkpoint loading and saving through this
    module. It calls ``torch.load`` bare, which on torch >= 2.6 refuses its
    own training checkpoints (weights-only by default) and on older torch
    unpickles everything, as ``torch.hub.load_state_dict_from_url`` does;
    and it writes a checkpoint straight to its final name, so a run killed
    while saving leaves a truncated ``epoch_N.pth``. Installing again
    changes nothing."""
    mm_checkpoint.CheckpointLoader.register_scheme(
        prefixes='', loader=_load_from_local, force=True)
    mm_checkpoint.CheckpointLoader.register_scheme(
        prefixes='file://', loader=_load_file_url, force=True)
    mm_checkpoint.load_url = _load_url
    mm_runner.save_checkpoint = _save_local_whole


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
