"""SRM's stage 3 warms its learning rate up from the stage-2 student, then
follows the KD baseline's schedule: at the full rate from the first
iteration, the new classifier's gradients can undo stage 2
(docs/srm_stage3_warmup.md)."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import PARAM_SCHEDULERS

from srm_mmrazor.engine import MultiStageRunner

PIPELINE = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
    'configs/distill/mmcls/srm',
    'srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py')


def learning_rates(schedulers, lr, epoch_length, iterations):
    """The learning rate of each iteration under epoch-based schedulers
    converted to iterations, as mmengine's runner steps them."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    built = [
        PARAM_SCHEDULERS.get(cfg['type']).build_iter_from_epoch(
            optimizer, epoch_length=epoch_length, **{
                key: value for key, value in cfg.items()
                if key not in ('type', 'convert_to_iter_based')})
        for cfg in schedulers
    ]
    rates = []
    for _ in range(iterations):
        rates.append(optimizer.param_groups[0]['lr'])
        for scheduler in built:
            scheduler.step()
    return rates


def test_demo_stage3_warms_up_over_a_tenth_then_follows_kd(tmp_path):
    cfg = Config.fromfile(PIPELINE)
    cfg.work_dir = str(tmp_path)
    stages = MultiStageRunner(cfg).stage_cfgs  # as the pipeline runs them
    kd, srm = stages['kd_baseline'], stages['kd']
    lr = kd.optim_wrapper.optimizer.lr
    assert srm.optim_wrapper.optimizer.lr == lr
    epochs, epoch_length = kd.train_cfg.max_epochs, 10  # 1200 images / 128
    iterations = epochs * epoch_length
    kd_rates = learning_rates([kd.param_scheduler], lr, epoch_length,
                              iterations)
    srm_rates = learning_rates(srm.param_scheduler, lr, epoch_length,
                               iterations)
    # the warm-up reaches the full rate at its last iteration
    warmup = iterations // 10 - 1
    assert srm_rates[0] == pytest.approx(0.01 * lr)
    assert all(srm < kd for srm, kd in zip(srm_rates[:warmup],
                                           kd_rates[:warmup]))
    assert srm_rates[1:warmup] == sorted(srm_rates[1:warmup])  # rising
    assert srm_rates[warmup:] == pytest.approx(kd_rates[warmup:])
