"""In every shipped SRM pipeline stage 2 trains with the optimizer of stage
3: weights that Adam leaves at their initial scale can be a worse start for
stage 3's SGD than random ones (docs/benchmarks_previous.md, students no
config names)."""
import os.path as osp

import pytest
from mmengine.config import Config

from srm_mmrazor.engine import MultiStageRunner

CONFIGS = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))), 'configs')


@pytest.mark.parametrize('pipeline', [
    'srm_r50_mbv2.py',
    'distill/mmcls/srm/srm_resnet34_resnet18_8xb32_in1k.py',
    'distill/mmcls/srm/srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py',
])
def test_stage2_trains_with_the_optimizer_of_stage3(pipeline, tmp_path):
    cfg = Config.fromfile(osp.join(CONFIGS, pipeline))
    cfg.work_dir = str(tmp_path)
    stage_cfgs = MultiStageRunner(cfg).stage_cfgs
    stage2 = stage_cfgs['intermediate'].optim_wrapper.optimizer
    stage3 = stage_cfgs['kd'].optim_wrapper.optimizer
    for key in ('type', 'momentum'):
        assert stage2.get(key) == stage3.get(key), key
