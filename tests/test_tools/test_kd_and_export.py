"""Plain KD through the tools, and the student exported from it."""
import fractions
import json

import pytest
import torch

TEACHER = 'resnet18-w16_1xb128_fashion-mnist.py'
STUDENT = 'resnet18-w8_1xb128_fashion-mnist.py'
KD = 'kd_logits_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py'


@pytest.fixture(scope='module')
def kd_run(tmp_path_factory, run_tool, tiny, config_path):
    """A tiny teacher, then a tiny KD run from it; their work dir and the KD
    log."""
    work = tmp_path_factory.mktemp('kd')
    run_tool('train.py', config_path(TEACHER), '--work-dir',
             work / 'teacher', '--cfg-options', *tiny)
    result = run_tool('train.py', config_path(KD), '--work-dir',
                      work / 'kd', '--cfg-options', *tiny,
                      f'model.teacher_ckpt={work / "teacher" / "epoch_1.pth"}')
    return work, result.stdout + result.stderr


def test_kd_trains_from_the_teacher_checkpoint(kd_run):
    work, log = kd_run
    assert 'distill.loss_kd' in log
    checkpoint = torch.load(work / 'kd' / 'epoch_1.pth', weights_only=False)
    teacher = torch.load(work / 'teacher' / 'epoch_1.pth',
                         weights_only=False)['state_dict']
    for name, weight in teacher.items():
        assert torch.equal(checkpoint['state_dict'][f'teacher.{name}'],
                           weight), name


def test_exported_student_evaluates_as_inside_the_algorithm(
        kd_run, run_tool, tiny, config_path, tmp_path):
    work, _ = kd_run
    kd_ckpt = work / 'kd' / 'epoch_1.pth'
    student_ckpt = tmp_path / 'student.pth'
    run_tool('model_converters/convert_kd_ckpt_to_student.py', kd_ckpt,
             student_ckpt)
    exported = torch.load(student_ckpt, weights_only=True)['state_dict']
    assert exported and not any(
        key.startswith(('architecture.', 'teacher.', 'distiller.'))
        for key in exported)

    inside, alone = tmp_path / 'inside.json', tmp_path / 'alone.json'
    run_tool('test.py', config_path(KD), kd_ckpt, '--work-dir',
             tmp_path / 'inside', '--out', inside, '--cfg-options', *tiny,
             'model.teacher_ckpt=None')  # the checkpoint holds the teacher
    run_tool('test.py', config_path(STUDENT), student_ckpt,
             '--work-dir', tmp_path / 'alone', '--out', alone,
             '--cfg-options', *tiny)
    inside_top1 = json.loads(inside.read_text())['accuracy/top1']
    assert json.loads(alone.read_text())['accuracy/top1'] == inside_top1


def test_converter_loads_an_untrusted_file_only_when_told(tmp_path, run_tool):
    converter = 'model_converters/convert_kd_ckpt_to_student.py'
    checkpoint = tmp_path / 'kd.pth'
    # a pickled object beyond tensors and training state
    torch.save({'state_dict': {'architecture.fc.weight': torch.ones(2, 3)},
                'meta': fractions.Fraction(1, 3)}, checkpoint)
    refused = run_tool(converter, checkpoint, tmp_path / 'a.pth', check=False)
    assert refused.returncode != 0
    assert f'--trust-checkpoint {checkpoint}' in refused.stderr
    assert not (tmp_path / 'a.pth').exists()

    run_tool(converter, checkpoint, tmp_path / 'b.pth', '--trust-checkpoint',
             checkpoint)
    exported = torch.load(tmp_path / 'b.pth', weights_only=True)
    assert torch.equal(exported['state_dict']['fc.weight'], torch.ones(2, 3))
