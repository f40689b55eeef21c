"""Killed runs lose nothing; a non-finite loss stops training cleanly."""
import hashlib
import json
import math
import random
import signal
import time

import pytest
import torch

PIPELINE = 'srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py'
STAGE2 = 'srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist_stage2.py'
STAGES = ['teacher', 'student', 'kd_baseline', 'dictionary', 'intermediate',
          'kd']
# killed: every kind of stage (student trains the config kind teacher does,
# kd_baseline the kind kd does)
KILLED = ['teacher', 'dictionary', 'intermediate', 'kd']
EPOCHS = 1  # of each stage but the one killed (tiny_pipeline)
LONG = 1280  # images per epoch of the stage to be killed (64 for the others)


def snapshot(work_dir):
    """Checkpoints and logs: path -> content hash. (Left out: the resume
    pointer, a partial save, and the config that each run dumps beside its
    checkpoints; each run's own config stays in its log folder.)"""
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in work_dir.rglob('*')
        if path.is_file() and path.name != 'last_checkpoint'
        and path.suffix != '.partial' and path.parent.parent != work_dir
        or path.match('*/*/vis_data/config.py')
    }


@pytest.mark.parametrize('stage', KILLED)
def test_killed_stage_resumes_and_loses_nothing(stage, tmp_path, run_tool,
                                                start_tool, tiny_pipeline,
                                                config_path):
    pipeline = config_path(PIPELINE)
    options = tiny_pipeline(pipeline) + [
        f'stages.{stage}.cfg_options.train_dataloader.dataset.indices={LONG}',
        f'stages.{stage}.cfg_options.train_cfg.max_epochs=2',
    ]
    process = start_tool('train.py', pipeline, '--work-dir', tmp_path,
                         '--cfg-options', *options)
    deadline = time.time() + 300
    while not (tmp_path / stage).exists() and time.time() < deadline:
        assert process.poll() is None, 'the pipeline ended early'
        time.sleep(0.05)
    time.sleep(random.Random(stage).uniform(1.0, 3.0))  # into the stage
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not (tmp_path / stage / 'summary.json').exists()
    for checkpoint in tmp_path.rglob('*.pth'):  # no half-written file
        torch.load(checkpoint, weights_only=False)
    before = snapshot(tmp_path)

    if (tmp_path / stage / 'last_checkpoint').exists():
        # without --resume an interrupted stage does not start over
        refused = run_tool('train.py', pipeline, '--work-dir', tmp_path,
                           '--cfg-options', *options, check=False)
        assert f"stage '{stage}' was interrupted" in refused.stderr
        assert snapshot(tmp_path) == before
    run_tool('train.py', pipeline, '--work-dir', tmp_path, '--resume',
             '--cfg-options', *options)

    for name in STAGES:
        summary = json.loads((tmp_path / name / 'summary.json').read_text())
        checkpoint = torch.load(tmp_path / name / summary['checkpoint'],
                                weights_only=False)
        images = LONG if name == stage else 64
        epochs = 2 if name == stage else EPOCHS
        assert checkpoint['meta']['iter'] == epochs * images // 16, name
    after = snapshot(tmp_path)
    assert {path: after.get(path) for path in before} == before


def test_nonfinite_loss_names_stage_iteration_and_term(
        tmp_path, run_tool, tiny_train, config_path):
    config = config_path(STAGE2)
    work_dir = tmp_path / 'intermediate'
    options = [*tiny_train, 'model.teacher_ckpt=None',
               'model.dictionary_ckpt=None',
               'train_cfg.max_epochs=2', 'param_scheduler.end=2']
    run_tool('train.py', config, '--work-dir', work_dir, '--cfg-options',
             *options, 'train_cfg.max_epochs=1')
    # epoch 2 on images that normalise to infinity
    result = run_tool('train.py', config, '--work-dir', work_dir, '--resume',
                      '--cfg-options', *options,
                      'data_preprocessor.std=[0.0,0.0,0.0]', check=False)
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("error: non-finite loss in 'intermediate' at "
                              'iteration 5: loss = nan')
    assert 'distill.loss_image_layer2 = nan' in message
    assert f'--resume continues from {work_dir}/epoch_1.pth' in message
    assert (work_dir / 'last_checkpoint').read_text().endswith('epoch_1.pth')
    assert not (work_dir / 'epoch_2.pth').exists()


def test_same_seed_same_stage1_loss_curve(tmp_path, run_tool, tiny_train,
                                          config_path):
    config = config_path(
        'srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist_stage1.py')
    curves = []
    for run in ('first', 'second'):
        run_tool('train.py', config, '--work-dir', tmp_path / run,
                 '--cfg-options', *tiny_train, 'model.teacher_ckpt=None',
                 'train_cfg.max_epochs=3', 'param_scheduler.end=3')
        scalars = next((tmp_path / run).glob('*/vis_data/scalars.json'))
        curves.append([
            json.loads(line)['loss']
            for line in scalars.read_text().splitlines()
        ])
    assert len(curves[0]) == 12 and all(map(math.isfinite, curves[0]))
    assert curves[0] == curves[1]


def test_second_run_into_a_busy_work_dir_stops(tmp_path, run_tool, start_tool,
                                               tiny_pipeline,
                                               config_path):
    pipeline = config_path(PIPELINE)
    options = tiny_pipeline(pipeline) + [  # minutes of training
        f'stages.teacher.cfg_options.train_dataloader.dataset.indices={LONG}',
        'stages.teacher.cfg_options.train_cfg.max_epochs=100']
    first = start_tool('train.py', pipeline, '--work-dir', tmp_path,
                       '--stage', 'teacher', '--cfg-options', *options)
    try:
        deadline = time.time() + 300
        while not (tmp_path / 'teacher').exists() and time.time() < deadline:
            assert first.poll() is None, 'the first run ended early'
            time.sleep(0.05)
        second = run_tool('train.py', pipeline, '--work-dir', tmp_path,
                          '--stage', 'teacher', '--cfg-options', *options,
                          check=False)
        assert second.returncode != 0
        assert second.stderr.strip().splitlines()[-1] == (
            f'error: another run is training in {tmp_path}: wait for it to '
            'end, or give this one another --work-dir')
        assert first.poll() is None  # still training, undisturbed
    finally:
        first.kill()
