"""tools/analysis_tools/srm_stage3_start.py on the student of a stage-3
config, from a student checkpoint and from an algorithm's checkpoint."""
import re

import torch
from mmengine.config import Config
from mmrazor.registry import MODELS

STAGE3 = 'srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist_stage3.py'


def test_same_weights_from_either_checkpoint_measure_alike(
        tmp_path, run_tool, config_path):
    config = config_path(STAGE3)
    student_cfg = Config.fromfile(config).model.architecture
    student_cfg.pop('init_cfg')
    torch.manual_seed(0)
    student = MODELS.build(student_cfg)
    student.init_weights()
    weights = student.state_dict()
    torch.save({'state_dict': weights}, tmp_path / 'student.pth')
    torch.save({'state_dict': {
        **{f'architecture.{key}': value for key, value in weights.items()},
        'teacher.head.fc.bias': torch.zeros(10)}}, tmp_path / 'stage2.pth')

    result = run_tool('analysis_tools/srm_stage3_start.py', config,
                      tmp_path / 'student.pth', tmp_path / 'stage2.pth',
                      '--train-images', 64, '--val-images', 32)
    lines = [line.split(': ', 1)[1] for line in result.stdout.splitlines()
             if 'linear probe' in line]
    assert len(lines) == 2 and lines[0] == lines[1]
    probe, rms, ratio = map(float, re.match(
        r'linear probe ([\d.]+)%, feature RMS ([\d.]+), BatchNorm batch / '
        r'running variance ([\d.e+-]+) \(median of 20 layers\)',
        lines[0]).groups())
    assert 0 <= probe <= 100 and rms > 0 and ratio > 0
