import copy

import torch
from mmengine.config import Config
from mmengine.registry import DATASETS, FUNCTIONS, MODELS, DefaultScope

from ..errors import ConfigError, SRMError
from ..utils import check_fit, read_weights


def check_before_training(cfg: Config) -> None:
    """Build the model and the training data of ``cfg`` as the runner would,
    and run the model forward on two real training samples.

    Configuration errors (layer names, channels, map sizes, multipliers,
    checkpoints that do not fit or cannot be read, missing data) surface
    here, before a runner creates or writes anything in the work directory.
    """
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        model_cfg = copy.deepcopy(cfg.model)
        if cfg.get('data_preprocessor') is not None:
            model_cfg.setdefault('data_preprocessor',
                                 copy.deepcopy(cfg.data_preprocessor))
        # the teacher's checkpoint is read once, by _check_checkpoints: the
        # forward below needs shapes, not the teacher's weights
        model_cfg.pop('teacher_ckpt', None)
        model = MODELS.build(model_cfg)
        _check_checkpoints(model, cfg.model)
        if cfg.get('load_from'):  # to initialise from, or to resume
            check_fit(model, read_weights(cfg.load_from), cfg.load_from,
                      'model (load_from)')
        batch = _two_training_samples(cfg)
        for split in ('val', 'test'):
            _check_readable(cfg, split)
        model.train()
        with torch.no_grad():
            model(**model.data_preprocessor(batch, True), mode='loss')


def _check_checkpoints(model, model_cfg) -> None:
    """The teacher's checkpoint and the student's ``Pretrained``
    initialisation must fit exactly (MMRazor loads both leniently)."""
    teacher_ckpt = model_cfg.get('teacher_ckpt')
    if teacher_ckpt and hasattr(model, 'teacher'):
        check_fit(model.teacher, read_weights(teacher_ckpt), teacher_ckpt,
                  'teacher')
    init_cfg = model_cfg.get('architecture', {}).get('init_cfg') or {}
    if init_cfg.get('type') == 'Pretrained' and init_cfg.get('checkpoint'):
        check_fit(model.architecture,
                  read_weights(init_cfg.checkpoint, init_cfg.get('prefix',
                                                                 '')),
                  init_cfg.checkpoint, 'student')


def _check_readable(cfg: Config, split: str) -> None:
    """The first sample of the validation or test data can be read (a
    corrupt file would otherwise stop training at the first validation)."""
    loader_cfg = cfg.get(f'{split}_dataloader')
    if loader_cfg:
        _first_samples(loader_cfg, 1, f'the {split} data')


def _first_samples(loader_cfg, n: int, what: str) -> list:
    """The first ``n`` samples of a dataloader config's dataset; an error
    naming ``what`` if they cannot be read."""
    try:
        dataset = DATASETS.build(copy.deepcopy(loader_cfg.dataset))
        return [dataset[i] for i in range(min(n, len(dataset)))]
    except SRMError:
        raise
    except Exception as error:
        raise ConfigError(
            f'{what} cannot be read: {type(error).__name__}: '
            f'{error}') from error


def _two_training_samples(cfg: Config) -> dict:
    loader_cfg = cfg.get('train_dataloader')
    if loader_cfg is None:
        raise ConfigError('the config has no train_dataloader')
    batch_size = loader_cfg.get('batch_size')
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ConfigError(
            f'train_dataloader.batch_size={batch_size!r}: give a whole number '
            'of at least 1 (images per GPU or process)')
    samples = _first_samples(loader_cfg, 2, 'the training data')
    if not samples:
        raise ConfigError(
            'the training data has no images (train_dataloader.dataset.'
            f'indices={loader_cfg.dataset.get("indices")!r}): give indices '
            'of at least 1, or None for all')
    collate = loader_cfg.get('collate_fn', dict(type='pseudo_collate'))
    return FUNCTIONS.get(collate['type'])(samples)
