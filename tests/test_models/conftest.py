import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmpretrain.registry import DATASETS
from mmrazor.registry import MODELS

CONFIGS = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
    'configs/distill/mmcls/srm')
SRM = 'srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist_stage{}.py'


def stage_config(stage: int) -> Config:
    return Config.fromfile(osp.join(CONFIGS, SRM.format(stage)))


@pytest.fixture(scope='session')
def images():
    """32 real Fashion-MNIST test images, packed as the dataloader does."""
    dataset = DATASETS.build(
        dict(type='FashionMNISTGz', split='test', indices=32,
             pipeline=[dict(type='PackInputs')]))
    return pseudo_collate([dataset[i] for i in range(len(dataset))])


@pytest.fixture
def build_stage(images):
    """Build stage N's algorithm from its config, changed by ``options``
    (``--cfg-options`` style, ``{'model.teacher_ckpt': None}``); checkpoint
    paths default to none. Returns (model, preprocessed batch)."""

    def build(stage: int, options: dict = {}):
        cfg = stage_config(stage)
        cfg.model.teacher_ckpt = None
        cfg.model.pop('dictionary_ckpt', None)
        cfg.model.get('architecture', {}).pop('init_cfg', None)
        cfg.merge_from_dict(options)
        cfg.model.data_preprocessor = cfg.data_preprocessor
        torch.manual_seed(0)
        model = MODELS.build(cfg.model)
        model.init_weights()
        batch = model.data_preprocessor(images, training=True)
        return model, batch

    return build


def save_checkpoint(model, path) -> str:
    torch.save({'state_dict': model.state_dict()}, path)
    return str(path)


@pytest.fixture
def checkpoint_of():
    return save_checkpoint
