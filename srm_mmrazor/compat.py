"""Fixes that let the OpenMMLab stack (MMRazor 1.0.0, mmengine 0.10,
mmpretrain 1.2) run on current PyTorch.

Each fix names the upstream problem it answers and acts only where that
problem exists. :func:`apply` runs them all once; importing ``srm_mmrazor``
calls it, before anything imports ``mmpretrain`` or ``mmrazor``.
"""
import atexit
import gc
import os
import pickle
import sys

import numpy as np
import torch

from .errors import CheckpointError, CheckpointRefused

TRUSTED_CHECKPOINTS_ENV = 'SRM_TRUSTED_CHECKPOINTS'

_applied = False


def allow_torchvision_without_compiled_ops() -> None:
    """PyPI's torchvision wheels are built against CUDA torch; beside a CPU
    torch their compiled ops do not load, and ``import torchvision`` then dies
    with "operator torchvision::nms does not exist" (torchvision registers
    fake kernels for ``nms``/``qnms`` without checking that the ops exist).
    mmpretrain imports torchvision for its transforms; nothing here calls its
    compiled ops. Declaring the two op schemas lets the import finish;
    calling those ops still fails loudly.
    """
    if 'torchvision' in sys.modules:
        return
    try:
        import torchvision  # noqa: F401
    except RuntimeError as error:
        if 'torchvision::nms' not in str(error):
            raise
        for name in [n for n in sys.modules if n.split('.')[0] == 'torchvision']:
            del sys.modules[name]
        schema = '(Tensor dets, Tensor scores, float iou_threshold) -> Tensor'
        torch.library.define('torchvision::nms', schema)
        torch.library.define('torchvision::qnms', schema)
        import torchvision  # noqa: F401,F811
    except ImportError:
        pass  # not installed: mmpretrain reports that itself


def let_mmrazor_import_on_torch2() -> None:
    """``import mmrazor.models`` fails on torch >= 2 ("`torch>=1.13` is not
    installed properly"): its quantization tables, imported on the way even
    though distillation never quantizes, use names torch renamed, private
    ``BackendPatternConfig`` setters torch removed, and
    ``torch.ao.quantization.backend_config.utils`` without importing it.
    """
    import torch.ao.quantization.backend_config.utils  # noqa: F401
    from torch.ao.quantization import fuser_method_mappings
    from torch.ao.quantization.backend_config import BackendPatternConfig

    # Only import-time tables use these; nothing here quantizes, so the
    # nearest current helpers stand in (_sequential_wrapper2 is not the
    # same function as the old reverse_sequential_wrapper2).
    renamed = {
        'reverse2': '_reverse2',
        'reverse3': '_reverse3',
        'reverse_sequential_wrapper2': '_sequential_wrapper2',
    }
    for old, new in renamed.items():
        if (not hasattr(fuser_method_mappings, old)
                and hasattr(fuser_method_mappings, new)):
            setattr(fuser_method_mappings, old,
                    getattr(fuser_method_mappings, new))

    def keep_config(config, *args, **kwargs):
        return config

    removed_setters = ('_set_overwrite_output_fake_quantize',
                       '_set_overwrite_output_observer',
                       '_set_input_output_observed')
    for setter in removed_setters:
        if not hasattr(BackendPatternConfig, setter):
            setattr(BackendPatternConfig, setter, keep_config)


def init_distributed_without_cuda() -> None:
    """mmengine's ``_init_dist_pytorch`` always calls
    ``torch.cuda.set_device``, so ``--launcher pytorch`` dies on a machine
    without a GPU. Without CUDA we start the process group directly, on gloo
    (nccl needs GPUs).
    """
    if torch.cuda.is_available():
        return
    from mmengine.dist import utils as dist_utils

    def init_dist_pytorch_on_cpu(backend, init_backend='torch', **kwargs):
        if init_backend != 'torch':
            raise ValueError(f'init_backend={init_backend!r} needs CUDA; '
                             "use init_backend='torch' on CPU")
        torch.distributed.init_process_group(backend='gloo', **kwargs)

    dist_utils._init_dist_pytorch = init_dist_pytorch_on_cpu


def end_process_group_at_exit() -> None:
    """mmengine's ``init_dist``, which every distributed ``Runner`` calls,
    starts the process group, and nothing ever ends it: it is left for the
    interpreter's exit to tear down. gloo's worker threads then outlive the
    interpreter, and one that frees the tensors of the run's last collective
    during finalisation cannot take the GIL any more: the thread is unwound
    through a C++ destructor and the process aborts with "terminate called
    without an active exception" (SIGABRT; about one 2-process CPU run in
    six, after training finished). ``destroy_process_group`` alone does not
    stop those threads: they are joined only when the last reference to the
    group goes, and the runner's DDP wrapper holds one until the garbage
    collector frees it. So the group is destroyed and its garbage collected
    at exit, while the interpreter is whole: on success, on an exception and
    on ``sys.exit`` alike, whichever entry point built the runner.
    """
    import mmengine.dist
    from mmengine.dist import utils as dist_utils
    from mmengine.runner import runner as mm_runner
    init_dist = dist_utils.init_dist

    def init_dist_ended_at_exit(*args, **kwargs):
        init_dist(*args, **kwargs)
        atexit.register(_end_process_group)

    # the Runner calls the name it imported; users call mmengine.dist's
    for module in (dist_utils, mmengine.dist, mm_runner):
        module.init_dist = init_dist_ended_at_exit


def _end_process_group() -> None:
    if torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()
    gc.collect()  # the last references to the group: its threads stop


def adapt_cfg_to_cpu_distributed(cfg) -> None:
    """mmengine wraps each process's model with ``device_ids=[LOCAL_RANK]``,
    which DDP rejects for a CPU model. Without CUDA, a distributed run gets a
    CPU-ready wrapper (no device ids) unless the config names its own.
    """
    if torch.cuda.is_available() or cfg.get('launcher', 'none') == 'none':
        return
    if 'model' in cfg and cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = dict(
            type='MMDistributedDataParallel',
            device_ids=None,
            broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False))


def _history_buffer_statistic(owner, name):
    """``getattr`` as mmengine's checkpoints need it, and no further: they
    pickle ``HistoryBuffer``'s statistics methods as
    ``getattr(HistoryBuffer, 'mean')``. Any other ``getattr`` could reach
    callables that write files, so it is refused."""
    from mmengine.logging import HistoryBuffer
    if (owner is HistoryBuffer and not name.startswith('_')
            and callable(vars(HistoryBuffer).get(name))):
        return getattr(HistoryBuffer, name)
    raise pickle.UnpicklingError(
        f'refused getattr({owner!r}, {name!r}) while unpickling')


def mmengine_state_globals() -> list:
    """The globals, besides tensors, that mmengine's training checkpoints
    hold (message hub history as numpy arrays and scalars): loading them
    builds data, never runs code."""
    from mmengine.logging import HistoryBuffer
    multiarray = np._core.multiarray if hasattr(np, '_core') else np.core.multiarray
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


def is_trusted(filename: str) -> bool:
    """Whether the user opted in to fully unpickling ``filename``, by listing
    it (``os.pathsep``-separated) in ``$SRM_TRUSTED_CHECKPOINTS``."""
    trusted = os.environ.get(TRUSTED_CHECKPOINTS_ENV, '')
    names = {os.path.abspath(n) if '://' not in n else n
             for n in trusted.split(os.pathsep) if n}
    key = os.path.abspath(filename) if '://' not in filename else filename
    return key in names


def load_checkpoint_file(load, filename: str):
    """Run ``load(weights_only=...)`` on ``filename`` under our policy:
    weights-only unpickling plus :func:`mmengine_state_globals`, unless the
    user trusts the file. Refusals and unreadable files raise errors that
    name the file and the way out."""
    trusted = is_trusted(filename)
    try:
        with torch.serialization.safe_globals(mmengine_state_globals()):
            return load(weights_only=not trusted)
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
            f'--trust-checkpoint {filename} (or {TRUSTED_CHECKPOINTS_ENV}='
            f'{filename})') from None
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


def load_checkpoints_safely() -> None:
    """torch >= 2.6 unpickles with ``weights_only=True`` by default, so
    mmengine 0.10 (which calls ``torch.load`` bare) cannot resume its own
    checkpoints; on older torch it unpickles everything, and
    ``torch.hub.load_state_dict_from_url`` still does. Both local files and
    URLs are loaded through :func:`load_checkpoint_file` instead.
    """
    from mmengine.runner import checkpoint as mm_checkpoint

    def load_from_local(filename, map_location=None):
        filename = os.path.expanduser(filename)
        if not os.path.isfile(filename):
            raise CheckpointError(f'checkpoint {filename} does not exist')
        return load_checkpoint_file(
            lambda weights_only: torch.load(
                filename, map_location=map_location,
                weights_only=weights_only), filename)

    def load_url(url, model_dir=None, map_location=None, progress=True,
                 check_hash=False, file_name=None):
        cached = os.path.join(
            model_dir or os.path.join(torch.hub.get_dir(), 'checkpoints'),
            file_name or os.path.basename(url.split('?')[0]))
        if os.path.isfile(cached) and not _saved_by_torch(cached):
            raise CheckpointError(
                f'checkpoint {url} is truncated or corrupted: it was '
                f'downloaded to {cached}, which is not a file torch.save '
                'writes. Delete that file to download it again')
        try:
            return load_checkpoint_file(
                lambda weights_only: torch.hub.load_state_dict_from_url(
                    url, model_dir=model_dir, map_location=map_location,
                    progress=progress, check_hash=check_hash,
                    file_name=file_name, weights_only=weights_only), url)
        except OSError as error:  # URLError, timeouts, refused connections
            raise CheckpointError(
                f'cannot download checkpoint {url} ({error}); download it '
                'where there is a network and give the local path '
                'instead') from None

    def load_file_url(filename, map_location=None):
        return load_from_local(filename[len('file://'):], map_location)

    mm_checkpoint.CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local, force=True)
    mm_checkpoint.CheckpointLoader.register_scheme(
        prefixes='file://', loader=load_file_url, force=True)
    mm_checkpoint.load_url = load_url


def save_checkpoints_atomically() -> None:
    """mmengine writes a checkpoint straight to its final name, so a run
    killed while saving leaves a truncated ``epoch_N.pth`` that looks
    complete. Local checkpoints are written to ``<name>.partial`` and
    renamed when whole (a rename within a folder is atomic).
    """
    from mmengine.runner import runner as mm_runner
    save_checkpoint = mm_runner.save_checkpoint

    def save_whole(checkpoint, filename, file_client_args=None,
                   backend_args=None):
        if '://' in str(filename) or file_client_args or backend_args:
            return save_checkpoint(checkpoint, filename, file_client_args,
                                   backend_args)
        partial = f'{filename}.partial'
        try:
            save_checkpoint(checkpoint, partial)
        except OSError as error:
            if os.path.exists(partial):
                os.remove(partial)
            raise CheckpointError(
                f'could not save checkpoint {filename} ({error}); the '
                'checkpoints saved before it are kept. It needs about '
                f'{_tensor_bytes(checkpoint) / 2**20:.0f} MiB: free space in '
                f'{os.path.dirname(os.path.abspath(filename))}, then rerun '
                'with --resume') from None
        os.replace(partial, filename)

    mm_runner.save_checkpoint = save_whole


def _tensor_bytes(value) -> int:
    """The bytes of the tensors in a (nested) checkpoint."""
    if isinstance(value, torch.Tensor):
        return value.numel() * value.element_size()
    if isinstance(value, dict):
        return sum(_tensor_bytes(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_tensor_bytes(v) for v in value)
    return 0


def apply() -> None:
    """Apply every fix once."""
    global _applied
    if _applied:
        return
    allow_torchvision_without_compiled_ops()
    let_mmrazor_import_on_torch2()
    init_distributed_without_cuda()
    end_process_group_at_exit()
    load_checkpoints_safely()
    save_checkpoints_atomically()
    _applied = True
