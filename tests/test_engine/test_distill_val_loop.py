"""FrozenTeacherDistillValLoop: a frozen teacher is validated once."""
import pytest
from mmengine.config import Config
from mmengine.runner import Runner

KD = 'kd_logits_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py'


@pytest.mark.parametrize('teacher_norm_eval, teacher_passes',
                         [(True, 1), (False, 2)])
def test_teacher_validated_again_only_if_it_can_change(
        tmp_path, config_path, teacher_norm_eval, teacher_passes):
    cfg = Config.fromfile(config_path(KD))
    cfg.merge_from_dict({
        'work_dir': str(tmp_path),
        'model.teacher_ckpt': None,
        'model.teacher_norm_eval': teacher_norm_eval,
        'val_dataloader.dataset.indices': 64,
        'val_dataloader.batch_size': 32,
    })
    assert cfg.val_cfg.type == 'mmrazor.FrozenTeacherDistillValLoop'
    runner = Runner.from_cfg(cfg)
    teacher = runner.model.teacher
    batches = []
    val_step = teacher.val_step
    teacher.val_step = lambda data: batches.append(data) or val_step(data)

    first = runner.val()
    second = runner.val()

    assert len(batches) == 2 * teacher_passes  # 64 images in batches of 32
    assert first['teacher.accuracy/top1'] == second['teacher.accuracy/top1']
    assert set(first) == {'accuracy/top1', 'teacher.accuracy/top1'}
