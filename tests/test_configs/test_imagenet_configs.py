"""The ImageNet pipelines load, and each stage's algorithm builds (no
pretrained weights) and takes a forward/backward step on random images."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmpretrain.structures import DataSample
from mmrazor.registry import MODELS

from srm_mmrazor.engine import MultiStageRunner

CONFIGS = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))), 'configs')


@pytest.mark.parametrize('pipeline', [
    'srm_r50_mbv2.py', 'distill/mmcls/srm/srm_resnet34_resnet18_8xb32_in1k.py'
])
def test_stages_build_and_step_on_224px_images(pipeline, tmp_path):
    cfg = Config.fromfile(osp.join(CONFIGS, pipeline))
    cfg.work_dir = str(tmp_path)
    stage_cfgs = MultiStageRunner(cfg).stage_cfgs
    assert list(stage_cfgs) == ['dictionary', 'intermediate', 'kd']

    images = {
        'inputs': [torch.randint(0, 256, (3, 224, 224), dtype=torch.uint8)
                   for _ in range(2)],
        'data_samples': [DataSample().set_gt_label(label) for label in (3, 7)]
    }
    for name, stage_cfg in stage_cfgs.items():
        model_cfg = stage_cfg.model
        model_cfg.teacher_ckpt = None
        model_cfg.pop('dictionary_ckpt', None)
        model_cfg.get('architecture', {}).pop('init_cfg', None)
        model_cfg.data_preprocessor = stage_cfg.data_preprocessor
        model = MODELS.build(model_cfg)
        model.train()
        batch = model.data_preprocessor(images, training=True)
        losses = model(**batch, mode='loss')
        total = sum(losses.values())
        assert torch.isfinite(total), (name, losses)
        total.backward()
        trained = [p for p in model.parameters() if p.grad is not None]
        assert trained, name


@pytest.mark.parametrize('stage', [
    f'distill/mmcls/srm/srm_{pair}_8xb32_in1k_stage{i}.py'
    for pair in ('resnet50_mobilenet-v2', 'resnet34_resnet18')
    for i in (1, 2, 3)])
def test_stage_configs_set_each_loop_whole_or_not_at_all(stage):
    # mmengine's Runner refuses e.g. a test_dataloader without a test_cfg
    cfg = Config.fromfile(osp.join(CONFIGS, stage))
    for split in ('val', 'test'):
        parts = [cfg.get(f'{split}_{part}')
                 for part in ('dataloader', 'cfg', 'evaluator')]
        assert len({part is None for part in parts}) == 1, (split, parts)


def test_srm_stage3_is_mmrazor_kd_started_from_stage2_with_a_warmup():
    # a user's KD-vs-SRM comparison differs only in SRM's pre-training (and
    # stage 3's warm-up from it)
    kd = Config.fromfile(osp.join(
        CONFIGS, 'distill/mmcls/kd',
        'kd_logits_resnet50_mobilenet-v2_8xb32_in1k.py'))
    stage3 = Config.fromfile(
        osp.join(CONFIGS, 'distill/mmcls/srm',
                 'srm_resnet50_mobilenet-v2_8xb32_in1k_stage3.py'))
    init = stage3.model.architecture.pop('init_cfg')
    assert init.type == 'Pretrained' and init.prefix == 'architecture.'
    warmup, schedule = stage3.param_scheduler
    assert warmup == dict(stage3.pop('stage3_warmup'), end=5)
    assert warmup.start_factor == 0.01
    stage3.param_scheduler = schedule
    assert stage3.to_dict() == kd.to_dict()
    # MMRazor's KD on mmpretrain's MobileNetV2 recipe
    assert kd.model.distiller.distill_losses.loss_kd == dict(
        type='KLDivergence', tau=1, loss_weight=5)
    assert kd.optim_wrapper.optimizer.lr == 0.045
    assert kd.optim_wrapper.optimizer.weight_decay == 4e-5
    assert kd.train_cfg.max_epochs == 300
