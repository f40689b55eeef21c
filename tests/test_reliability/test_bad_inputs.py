"""The catalogue of bad inputs: each is answered before training starts by
one clear error line, and nothing in the work directory changes."""
import json
import os
import shutil

import pytest
import torch

STAGE1 = 'srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist_stage1.py'
STAGE2 = 'srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist_stage2.py'
PIPELINE = 'srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py'
TEACHER = 'resnet18-w16_1xb128_fashion-mnist.py'
NO_CHECKPOINTS = ['model.teacher_ckpt=None']
STAGE2_NO_CHECKPOINTS = NO_CHECKPOINTS + ['model.dictionary_ckpt=None']
D = 'model.distiller.'


class Payload:
    """Unpickling it creates a folder: stands for any code a file can run."""

    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (os.mkdir, (self.target, ))


def files(tmp_path):
    return {
        str(path): path.stat().st_mtime_ns
        for path in tmp_path.rglob('*')
    }


def make_checkpoints(tmp_path):
    """Checkpoints to point configs at: a student's (another architecture
    than the teacher), a truncated one, one with a pickled payload, and
    files that are no checkpoints."""
    from mmengine.config import Config
    from mmrazor.registry import MODELS
    cfg = Config.fromfile(
        'configs/_base_/models/resnet18_cifar_fashion-mnist.py')
    student = MODELS.build(cfg.student_model)
    torch.save({'state_dict': student.state_dict()}, tmp_path / 'student.pth')
    data = (tmp_path / 'student.pth').read_bytes()
    (tmp_path / 'truncated.pth').write_bytes(data[:len(data) // 2])
    torch.save({'state_dict': {}, 'meta': Payload(str(tmp_path / 'ran'))},
               tmp_path / 'evil.pth')
    (tmp_path / 'empty.pth').write_bytes(b'')
    (tmp_path / 'text.pth').write_text('not a checkpoint\n')
    torch.save([1, 2, 3], tmp_path / 'list.pth')


CASES = {
    'unknown teacher layer': (STAGE1, NO_CHECKPOINTS + [
        f'{D}teacher_recorders.layer2.source=backbone.layer_2'
    ], [], "'backbone.layer_2' is not a module of the teacher; nearest "
        'names: backbone.layer2'),
    'unknown student layer': (STAGE2, STAGE2_NO_CHECKPOINTS + [
        f'{D}student_recorders.layer3.source=backbone.layers2'
    ], [], "'backbone.layers2' is not a module of the student; nearest "
        'names: backbone.layer2'),
    'channel mismatch': (STAGE1, NO_CHECKPOINTS + [
        f'{D}coders.layer3.in_channels=48'
    ], [], "'backbone.layer3' has 64 channels but its SparseCoder has "
        'in_channels=48'),
    'spatial mismatch without alignment': (STAGE2, STAGE2_NO_CHECKPOINTS + [
        f'{D}student_recorders.layer2.source=backbone.layer1',
        f'{D}heads.layer2.in_channels=8'
    ], [], 'differ in H x W; set alignment to one of'),
    'codeword multiplier out of range': (STAGE1, NO_CHECKPOINTS + [
        f'{D}coders.layer2.codeword_multiplier=0.001'
    ], [], 'K must be at least 1'),
    'sparsity multiplier out of range': (STAGE1, NO_CHECKPOINTS + [
        f'{D}coders.layer2.sparsity_multiplier=2.0'
    ], [], 'must be in (0, 1]'),
    'unknown pixel-loss mode': (STAGE2, STAGE2_NO_CHECKPOINTS + [
        f'{D}heads.layer2.pixel_mode=softmax'
    ], [], "pixel_mode='softmax' is unknown; use one of ('faithful', "
        "'logits')"),
    'unknown objective': (STAGE2, STAGE2_NO_CHECKPOINTS + [
        f'{D}objective=both'
    ], [], "objective='both' is unknown"),
    'duplicate matched points': (STAGE1, NO_CHECKPOINTS + [
        f'{D}teacher_recorders.layer3.source=backbone.layer2'
    ], [], "record the same layer ['backbone.layer2']"),
    'checkpoint of another architecture': (STAGE1, [
        'model.teacher_ckpt={tmp}/student.pth'
    ], [], 'student.pth does not fit the teacher: weights'),
    'truncated checkpoint': (STAGE1, ['model.teacher_ckpt={tmp}/truncated.pth'
                                      ], [], 'is truncated or corrupted'),
    'checkpoint with a pickled payload': (STAGE1, [
        'model.teacher_ckpt={tmp}/evil.pth'
    ], [], 'refused to load checkpoint'),
    'teacher URL that cannot be reached': (STAGE1, [
        'model.teacher_ckpt=http://127.0.0.1:9/srm-test-teacher.pth'
    ], [], 'cannot download checkpoint http://127.0.0.1:9/'),
    'missing dataset': (TEACHER, [
        'train_dataloader.dataset.data_root={tmp}/nowhere'
    ], [], 'apt-get install dataset-fashion-mnist'),
    'stage without its predecessor': (PIPELINE, [], ['--stage', 'kd'],
                                      "stage 'kd' needs the checkpoint of "
                                      "stage 'teacher'"),
    'unknown stage name': (PIPELINE, [], ['--stage', 'distill'],
                           "unknown stage 'distill'"),
    'stage option on a single-stage config': (TEACHER, [], ['--stage', 'kd'],
                                              '--stage needs a multi-stage '
                                              'config'),
    'batch size zero': (TEACHER, ['train_dataloader.batch_size=0'], [],
                        'train_dataloader.batch_size=0: give a whole number'),
    'negative batch size': (TEACHER, ['train_dataloader.batch_size=-4'], [],
                            'train_dataloader.batch_size=-4'),
    'no training images': (TEACHER, ['train_dataloader.dataset.indices=0'],
                           [], 'the training data has no images'),
    '--amp without a GPU': (TEACHER, [], ['--amp'], '--amp needs a GPU'),
    'load_from of another architecture': (TEACHER, [
        'load_from={tmp}/student.pth'
    ], [], 'student.pth does not fit the model (load_from): weights'),
    'a path with spaces': (TEACHER, [
        'train_dataloader.dataset.data_root={tmp}/no where'
    ], [], 'no where/ (missing train-images-idx3-ubyte.gz'),
    'teacher checkpoint that is an empty file': (STAGE1, [
        'model.teacher_ckpt={tmp}/empty.pth'
    ], [], 'empty.pth is truncated or corrupted'),
    'teacher checkpoint that is a text file': (STAGE1, [
        'model.teacher_ckpt={tmp}/text.pth'
    ], [], 'text.pth is truncated or corrupted'),
    'teacher checkpoint that holds a list': (STAGE1, [
        'model.teacher_ckpt={tmp}/list.pth'
    ], [], 'list.pth holds a list, not a checkpoint'),
    'file:// checkpoint of another architecture': (STAGE1, [
        'model.teacher_ckpt=file://{tmp}/student.pth'
    ], [], 'student.pth does not fit the teacher'),
    '--resume from a checkpoint of another model': (
        TEACHER, [], ['--resume', '{tmp}/student.pth'],
        'student.pth does not fit the model (load_from)'),
    'work dir under a file': (TEACHER, [], ['--work-dir', '{tmp}/text.pth/w'],
                              'text.pth is a file, not a folder'),
    'option key one letter off': (TEACHER, ['train_cfg.max_epoch=1'], [],
                                  'the config has no train_cfg.max_epoch; did '
                                  'you mean train_cfg.max_epochs?'),
}


@pytest.mark.parametrize('case', list(CASES))
def test_bad_input_is_one_line_before_training(case, tmp_path, run_tool,
                                               tiny, tiny_train, tiny_pipeline,
                                               config_path):
    config, options, flags, message = CASES[case]
    if '--amp' in flags and torch.cuda.is_available():
        pytest.skip('this machine has a GPU')
    make_checkpoints(tmp_path)
    work_dir = tmp_path / 'work'
    work_dir.mkdir()
    (work_dir / 'earlier_run.log').write_text('kept')
    before = files(tmp_path)

    if config == PIPELINE:
        tiny = tiny_pipeline(config_path(PIPELINE))
    elif config in (STAGE1, STAGE2):
        tiny = tiny_train
    options = [o.format(tmp=tmp_path) for o in options]
    flags = [f.format(tmp=tmp_path) for f in flags]
    result = run_tool('train.py', config_path(config), '--work-dir',
                      work_dir, *flags, '--cfg-options', *tiny, *options,
                      check=False)
    assert result.returncode != 0
    assert 'Traceback' not in result.stderr, result.stderr[-3000:]
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith('error: ') and message in last_line, \
        last_line
    assert files(tmp_path) == before  # nothing written, nothing run


def test_test_tool_explains_what_it_cannot_evaluate(run_tool,
                                                    config_path,
                                                    tmp_path):
    for config, message in [(PIPELINE, 'give the config of one stage'),
                            (STAGE2, 'has no test split to evaluate')]:
        result = run_tool('test.py', config_path(config),
                          tmp_path / 'x.pth', '--work-dir', tmp_path,
                          check=False)
        assert result.returncode != 0
        assert message in result.stderr.strip().splitlines()[-1]
    result = run_tool('train.py', config_path(PIPELINE), '--resume',
                      tmp_path / 'x.pth', '--work-dir', tmp_path, check=False)
    assert 'use --resume without a path' in result.stderr


def test_corrupt_test_split_is_named_before_training(tmp_path, run_tool, tiny,
                                                     config_path):
    data = tmp_path / 'data'
    shutil.copytree('/usr/share/datasets/fashion-mnist', data)
    test_images = data / 't10k-images-idx3-ubyte.gz'
    test_images.write_bytes(test_images.read_bytes()[:100000])
    work_dir = tmp_path / 'work'
    result = run_tool('train.py', config_path(TEACHER), '--work-dir',
                      work_dir, '--cfg-options', *tiny,
                      f'train_dataloader.dataset.data_root={data}',
                      f'val_dataloader.dataset.data_root={data}', check=False)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        f'error: {test_images} is corrupt or truncated (Compressed file '
        'ended before the end-of-stream marker was reached): reinstall or '
        'download it again')
    assert not work_dir.exists()


def test_config_syntax_and_option_shape_errors(tmp_path, run_tool):
    broken = tmp_path / 'broken.py'
    broken.write_text("_base_ = ['x.py']\nmodel = dict(\n")
    result = run_tool('train.py', broken, '--work-dir', tmp_path / 'work',
                      check=False)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: {broken} (or a file it inherits) has a syntax error: '(' "
        'was never closed (<unknown>, line 2)')
    result = run_tool('train.py', broken, '--cfg-options', 'train_cfg',
                      check=False)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].endswith(
        "error: --cfg-options 'train_cfg': write KEY=VALUE, e.g. "
        'train_cfg.max_epochs=1')
    assert sorted(tmp_path.iterdir()) == [broken]


def test_test_tool_refuses_a_checkpoint_of_another_model(tmp_path, run_tool,
                                                        tiny,
                                                        config_path):
    make_checkpoints(tmp_path)
    out = tmp_path / 'metrics.json'
    result = run_tool('test.py', config_path(TEACHER),
                      tmp_path / 'student.pth', '--work-dir', tmp_path / 'w',
                      '--out', out, '--cfg-options', *tiny, check=False)
    assert result.returncode != 0
    assert (f'error: {tmp_path / "student.pth"} does not fit the model of '
            f'{config_path(TEACHER)}: weights') in result.stderr
    assert not out.exists()  # no score of random weights


def test_work_dir_under_a_file_and_corrupt_summary(tmp_path, run_tool, tiny,
                                                   config_path):
    (tmp_path / 'a_file').write_text('kept')
    result = run_tool('train.py', config_path(TEACHER), '--work-dir',
                      tmp_path / 'a_file' / 'work', '--cfg-options', *tiny,
                      check=False)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: work dir {tmp_path / 'a_file' / 'work'}: "
        f"{tmp_path / 'a_file'} is a file, not a folder; give another "
        '--work-dir')

    work_dir = tmp_path / 'pipeline'
    (work_dir / 'teacher').mkdir(parents=True)
    (work_dir / 'teacher' / 'summary.json').write_text('{"title": ')
    result = run_tool('train.py', config_path(PIPELINE), '--work-dir',
                      work_dir, '--stage', 'teacher', check=False)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith(
        f"error: {work_dir / 'teacher' / 'summary.json'} is corrupt "
        '(JSONDecodeError: ')
    assert result.stderr.strip().endswith(
        f"delete {work_dir / 'teacher'} to train stage 'teacher' again, or "
        'use another --work-dir')


def test_finished_stage_naming_another_folders_checkpoint(tmp_path, run_tool,
                                                         config_path):
    # a stage folder copied from another run must not hand that run's
    # checkpoint on as its own
    other = tmp_path / 'other' / 'teacher' / 'epoch_3.pth'
    other.parent.mkdir(parents=True)
    other.write_bytes(b'')
    work_dir = tmp_path / 'pipeline'
    (work_dir / 'teacher').mkdir(parents=True)
    (work_dir / 'teacher' / 'summary.json').write_text(
        json.dumps(dict(title='teacher', checkpoint=str(other))))
    result = run_tool('train.py', config_path(PIPELINE), '--work-dir',
                      work_dir, '--stage', 'teacher', check=False)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: {work_dir / 'teacher' / 'summary.json'} names {other}, a "
        "checkpoint outside the folder of stage 'teacher': delete "
        f"{work_dir / 'teacher'} to train stage 'teacher' again, or use "
        'another --work-dir')
