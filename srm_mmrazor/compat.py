"""Fixes that let the OpenMMLab stack (MMRazor 1.0.0, mmengine 0.10,
mmpretrain 1.2) run on current PyTorch.

Each fix names the upstream problem it answers and acts only where that
problem exists. :func:`apply` runs them all once; importing ``srm_mmrazor``
calls it, before anything imports ``mmpretrain`` or ``mmrazor``. How
mmengine loads and saves checkpoints is set in
:mod:`srm_mmrazor.utils.checkpoint`.
"""
import atexit
import gc
import sys
import warnings

import torch

_applied = False


def allow_torchvision_without_compiled_ops() -> None:
    """torchvision's PyPI wheels (0.28 here) are built against CUDA torch;
    beside a CPU torch their compiled ops do not load, and ``import
    torchvision`` then dies with "operator torchvision::nms does not exist"
    (its ``_meta_registrations`` registers fake kernels for ``nms``/``qnms``
    without checking that the ops exist). mmpretrain imports torchvision for
    its transforms; nothing here calls its compiled ops. Declaring the two op
    schemas lets the import finish; calling those ops still fails loudly.
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
    """MMRazor 1.0.0's ``import mmrazor.models`` fails on torch >= 2
    ("`torch>=1.13` is not installed properly"): its quantization tables,
    imported on the way even though distillation never quantizes, use names
    torch renamed, private ``BackendPatternConfig`` setters torch removed, and
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


def quiet_mmcv_lite_attention_warning() -> None:
    """mmcv-lite has no compiled ops, so ``mmcv.cnn.bricks.transformer``,
    which ``import mmpretrain.models`` (and so ``import srm_mmrazor``)
    loads, warns at import that ``MultiScaleDeformableAttention`` is
    missing: a detection op that nothing here uses. The filter matches that
    warning only, which is raised only where the op is missing.
    """
    warnings.filterwarnings(
        'ignore', message='Fail to import ``MultiScaleDeformableAttention``')


def let_l2_loss_flatten_channels_last() -> None:
    """MMRazor 1.0.0's ``L2Loss`` (FitNets' hint loss) flattens each feature
    map with ``view``, which fails on a map laid out channels last ("view
    size is not compatible with input tensor's size and stride"), as every
    convolution's output is once its input is (our Fashion-MNIST configs'
    ``ChannelsLastClsDataPreprocessor``). The map is made contiguous first.
    """
    from mmrazor.models.losses import L2Loss
    channels_last = torch.zeros(1, 2, 2, 2).contiguous(
        memory_format=torch.channels_last)
    try:
        L2Loss().normalize_feature(channels_last)
        return
    except RuntimeError:
        pass
    normalize_feature = L2Loss.normalize_feature

    def normalize_contiguous_feature(self, feature):
        return normalize_feature(self, feature.contiguous())

    L2Loss.normalize_feature = normalize_contiguous_feature


def init_distributed_without_cuda() -> None:
    """mmengine 0.10's ``_init_dist_pytorch`` always calls
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
    """mmengine 0.10's ``init_dist``, which every distributed ``Runner``
    calls, starts the process group, and nothing ever ends it: it is left for
    the interpreter's exit to tear down. gloo's worker threads then outlive the
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


def build_the_runner_a_config_names() -> None:
    """MMRazor 1.0.0's ``tools/train.py`` builds every config with
    ``Runner.from_cfg`` and ignores its ``runner_type`` (mmpretrain's and
    mmdet's tools build that runner from mmengine's ``RUNNERS``), so a
    multi-stage config, which names ``MultiStageRunner``, fails there for
    want of a ``model``. ``Runner.from_cfg`` on a config that names another
    runner builds that runner instead.
    """
    from mmengine.registry import RUNNERS
    from mmengine.runner import Runner
    from_cfg = Runner.from_cfg.__func__

    def from_cfg_or_named_runner(cls, cfg):
        runner_type = cfg.get('runner_type')
        if cls is not Runner or runner_type in (None, Runner) or (
                isinstance(runner_type, str)
                and RUNNERS.get(runner_type) is Runner):
            return from_cfg(cls, cfg)
        return RUNNERS.build(cfg)  # an unknown name: the registry's error

    Runner.from_cfg = classmethod(from_cfg_or_named_runner)


def adapt_cfg_to_cpu_distributed(cfg) -> None:
    """mmengine 0.10's Runner wraps each process's model with
    ``device_ids=[LOCAL_RANK]``, which DDP rejects for a CPU model. Without
    CUDA, a distributed run gets a CPU-ready wrapper (no device ids) unless
    the config names its own.
    """
    if torch.cuda.is_available() or cfg.get('launcher', 'none') == 'none':
        return
    if 'model' in cfg and cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = dict(
            type='MMDistributedDataParallel',
            device_ids=None,
            broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False))


def apply() -> None:
    """Apply every fix once."""
    global _applied
    if _applied:
        return
    allow_torchvision_without_compiled_ops()
    quiet_mmcv_lite_attention_warning()
    let_mmrazor_import_on_torch2()
    let_l2_loss_flatten_channels_last()
    init_distributed_without_cuda()
    end_process_group_at_exit()
    build_the_runner_a_config_names()
    _applied = True
