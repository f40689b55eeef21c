"""The Fashion-MNIST SRM pipeline at a tiny schedule, through the tools."""
import json
import os
import shutil

import pytest
import torch
from mmengine.config import Config

from srm_mmrazor.engine import (MultiStageRunner, finished, logged_scalars,
                                read_summary)
from srm_mmrazor.engine.runner.multi_stage_runner import _settings
from srm_mmrazor.errors import CheckpointError, ConfigError
from srm_mmrazor.utils import latest_checkpoint

PIPELINE = 'srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py'
STAGES = ['teacher', 'student', 'kd_baseline', 'dictionary', 'intermediate',
          'kd']


def load(path):
    return torch.load(path, weights_only=False)


def summary(work_dir, stage):
    """A stage's summary.json, its checkpoint path (relative to the
    stage's folder) made whole."""
    with open(work_dir / stage / 'summary.json') as f:
        summary = json.load(f)
    summary['checkpoint'] = str(work_dir / stage / summary['checkpoint'])
    return summary


@pytest.fixture
def pipeline(config_path):
    return config_path(PIPELINE)


@pytest.fixture
def tiny(tiny_pipeline, pipeline):
    return tiny_pipeline(pipeline)


def test_all_stages_run_and_hand_over(tmp_path, run_tool, tiny, pipeline):
    # stage 3 with a zero learning rate keeps the weights it starts from
    frozen_kd = 'stages.kd.cfg_options.optim_wrapper.optimizer.lr=0.0'
    result = run_tool('train.py', pipeline, '--work-dir', tmp_path,
                      '--cfg-options', *tiny, frozen_kd)
    log = result.stdout + result.stderr
    for stage in STAGES:
        assert f'[{stage}] finished in' in log
    table = log.split('in ' + str(tmp_path))[-1]
    assert 'SRM student (stage 3: KD)' in table
    for baseline in ('student alone (ResNet-18 w8)', 'student with KD'):
        # what SRM's student gained, beside the benchmark's measurement
        assert f'SRM student (stage 3: KD) - {baseline}: ' in table
    assert 'accuracy/top1 (benchmark, 2% regime' in table

    teacher_ckpt = summary(tmp_path, 'teacher')['checkpoint']
    dictionary = load(summary(tmp_path, 'dictionary')['checkpoint'])
    intermediate = load(summary(tmp_path, 'intermediate')['checkpoint'])
    kd = load(summary(tmp_path, 'kd')['checkpoint'])
    teacher = load(teacher_ckpt)['state_dict']

    def part(state_dict, prefix):
        return {k[len(prefix):]: v for k, v in state_dict['state_dict'].items()
                if k.startswith(prefix)}

    for name, weight in part(dictionary, 'distiller.coders.').items():
        assert torch.equal(part(intermediate, 'distiller.coders.')[name],
                           weight), name
    for stage in (dictionary, intermediate, kd):
        prefix = 'architecture.' if stage is dictionary else 'teacher.'
        for name, weight in teacher.items():
            assert torch.equal(stage['state_dict'][prefix + name], weight)
    student = part(intermediate, 'architecture.')
    kd_student = part(kd, 'architecture.')
    for name, weight in student.items():
        if 'running_' not in name and 'num_batches' not in name:
            assert torch.equal(kd_student[name], weight), name

    # each summary names the config the stage ran with and what it logged
    final = read_summary(str(tmp_path / 'kd'))
    assert final['checkpoint'] == summary(tmp_path, 'kd')['checkpoint']
    assert Config.fromfile(final['config']).model.architecture.init_cfg[
        'checkpoint'] == summary(tmp_path, 'intermediate')['checkpoint']
    assert [entry['step'] for entry in logged_scalars(final)
            if 'accuracy/top1' in entry] == [1]
    # and when it finished, after the stage before it
    assert final['finished'] >= read_summary(
        str(tmp_path / 'intermediate'))['finished'] + final['seconds'] - 1

    rerun = run_tool('train.py', pipeline, '--work-dir', tmp_path,
                     '--cfg-options', *tiny, frozen_kd)
    log = rerun.stdout + rerun.stderr
    assert all(f'[{stage}] finished earlier' in log for stage in STAGES)
    assert 'Epoch(train)' not in log


def test_one_stage_alone_needs_its_predecessors(tmp_path, run_tool, tiny,
                                                pipeline):
    result = run_tool('train.py', pipeline, '--work-dir', tmp_path, '--stage',
                      'intermediate', '--cfg-options', *tiny,
                      check=False)
    assert result.returncode != 0
    assert "stage 'intermediate' needs the checkpoint of stage 'teacher'" in \
        result.stderr.splitlines()[-1]
    assert not (tmp_path / 'intermediate').exists()

    assert not finished(tmp_path / 'teacher')
    run_tool('train.py', pipeline, '--work-dir', tmp_path, '--stage',
             'teacher', '--cfg-options', *tiny)
    assert (tmp_path / 'teacher' / 'summary.json').exists()
    assert finished(tmp_path / 'teacher')
    assert not (tmp_path / 'student').exists()

    # a finished stage is reused with its settings, refused with others
    before = sorted(tmp_path.rglob('*'))
    changed = run_tool('train.py', pipeline, '--work-dir', tmp_path,
                       '--stage', 'teacher', '--cfg-options', *tiny,
                       'stages.teacher.cfg_options.train_cfg.max_epochs=2',
                       check=False)
    assert changed.returncode != 0
    assert changed.stderr.strip().splitlines()[-1] == (
        "error: stage 'teacher' finished with other settings than it has "
        'now (train_cfg.max_epochs: 1 -> 2): to train it again with these, '
        f"delete {tmp_path / 'teacher'} (and the stages after it), or use "
        'another --work-dir')
    assert sorted(tmp_path.rglob('*')) == before
    same = run_tool('train.py', pipeline, '--work-dir', tmp_path, '--stage',
                    'teacher', '--cfg-options', *tiny)
    assert '[teacher] finished earlier' in same.stdout + same.stderr

    # a copied work dir hands on its own checkpoints, not the original's
    copy = tmp_path.parent / f'{tmp_path.name}_copy'
    shutil.copytree(tmp_path, copy)
    for checkpoint in (tmp_path / 'teacher').glob('*.pth'):
        checkpoint.unlink()
    run_tool('train.py', pipeline, '--work-dir', copy, '--stage',
             'kd_baseline', '--cfg-options', *tiny)
    kd = load(summary(copy, 'kd_baseline')['checkpoint'])['state_dict']
    teacher = load(summary(copy, 'teacher')['checkpoint'])['state_dict']
    assert all(torch.equal(kd[f'teacher.{k}'], v) for k, v in teacher.items())


def test_resume_point_is_found_in_the_work_dir_itself(tmp_path):
    (tmp_path / 'last_checkpoint').write_text('/elsewhere/run/epoch_3.pth')
    with pytest.raises(CheckpointError, match='which is not in'):
        latest_checkpoint(str(tmp_path))
    (tmp_path / 'epoch_3.pth').write_bytes(b'')
    assert latest_checkpoint(str(tmp_path)) == str(tmp_path / 'epoch_3.pth')
    assert latest_checkpoint(str(tmp_path / 'nothing')) is None


def test_unknown_stage_and_empty_pipeline(tmp_path, run_tool, pipeline):
    result = run_tool('train.py', pipeline, '--work-dir', tmp_path, '--stage',
                      'distill', check=False)
    assert result.stderr.strip().splitlines()[-1] == (
        "error: unknown stage 'distill'; the stages of " + pipeline +
        f' are {STAGES}')

    empty = tmp_path / 'empty.py'
    empty.write_text("runner_type = 'mmrazor.MultiStageRunner'\n"
                     "custom_imports = dict(imports=['srm_mmrazor'])\n")
    result = run_tool('train.py', empty, '--work-dir', tmp_path, check=False)
    assert 'has runner_type MultiStageRunner but no stages' in \
        result.stderr.splitlines()[-1]
    assert os.listdir(tmp_path) == ['empty.py']


def test_pipeline_with_two_cpu_processes(tmp_path, run_tool, tiny, pipeline,
                                         free_port):
    result = run_tool('dist_train.sh', pipeline, 2, '--work-dir', tmp_path,
                      '--cfg-options', *tiny,
                      env=dict(PORT=str(free_port)))
    log = result.stdout + result.stderr
    assert 'Distributed training: True' in log
    for stage in STAGES:
        assert (tmp_path / stage / 'summary.json').exists()
        assert len(list((tmp_path / stage).glob('*/*.log'))) == 1
    # 64 images in steps of 2 x 16, one epoch
    for stage in ('student', 'kd_baseline', 'kd'):
        checkpoint = load(summary(tmp_path, stage)['checkpoint'])
        assert checkpoint['meta']['iter'] == 2, stage


def test_demo_final_stages_train_alike(pipeline, tmp_path):
    # the paper's accounting: the student alone, KD and SRM's stage 3 train
    # as long on the same images; SRM's stages 1 and 2 come on top
    cfg = Config.fromfile(pipeline)
    cfg.work_dir = str(tmp_path)
    stages = MultiStageRunner(cfg).stage_cfgs
    final = [stages[name] for name in ('student', 'kd_baseline', 'kd')]
    # SRM's stage 3 warms up over its first tenth, then follows the others'
    warmup, schedule = stages['kd'].param_scheduler
    assert warmup.type == 'LinearLR' and warmup.end == 10
    stages['kd'].param_scheduler = schedule
    for key in ('train_cfg.max_epochs', 'train_cfg.val_interval',
                'param_scheduler',
                'train_dataloader.dataset.indices',
                'train_dataloader.batch_size',
                'randomness.seed'):
        values = {repr(_get(stage, key)) for stage in final}
        assert len(values) == 1, (key, values)
    assert _get(stages['kd'], 'train_cfg.max_epochs') == 100
    # the test set is scored once, at the end
    assert _get(stages['kd'], 'train_cfg.val_interval') == 100
    assert _get(stages['intermediate'],
                'train_dataloader.dataset.indices') == 1200


def _get(cfg, key):
    for part in key.split('.'):
        cfg = cfg[part]
    return cfg


@pytest.mark.parametrize('name', ['../escape', 'a/b', '', 'two words'])
def test_stage_names_are_plain_folder_names(name, tmp_path):
    cfg = Config(dict(stages={name: dict(config='x.py')},
                      work_dir=str(tmp_path)))
    with pytest.raises(ConfigError, match='use letters, digits, _ and -'):
        MultiStageRunner(cfg)
    assert list(tmp_path.iterdir()) == []


def test_an_inherited_pipeline_finds_its_stage_configs(
        tmp_path, pipeline, config_path):
    # a user's config elsewhere inherits ours: stage paths stay relative to
    # the file that names them, as _base_ paths do (the user's own too)
    kd = config_path(
        'kd_logits_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py')
    (tmp_path / 'my_kd.py').write_text(f'_base_ = [{kd!r}]\n')
    config = tmp_path / 'mine.py'
    config.write_text(f'_base_ = [{pipeline!r}]\n'
                      "stages = dict(kd_baseline=dict(config='my_kd.py'))\n")
    cfg = Config.fromfile(str(config))
    cfg.work_dir = str(tmp_path / 'work')
    stage_cfgs = MultiStageRunner(cfg).stage_cfgs
    assert list(stage_cfgs) == STAGES
    assert stage_cfgs['kd_baseline'].filename == str(tmp_path / 'my_kd.py')
    assert stage_cfgs['kd'].filename == pipeline.replace('.py', '_stage3.py')


def test_a_stage_is_reused_while_what_its_runner_builds_is_unchanged():
    # a config's helper variables and run-only keys are not its settings:
    # a refactor of the config files keeps finished stages
    cfg = Config(dict(model=dict(type='Net', depth=2), alpha=0.5,
                      train_cfg=dict(max_epochs=3), work_dir='a',
                      trusted_checkpoints=['x.pth']))
    assert _settings(cfg) == {'model.type': "'Net'", 'model.depth': '2',
                              'train_cfg.max_epochs': '3'}


def test_a_scripts_top_level_flags_reach_every_stage(tmp_path, pipeline):
    # what MMRazor's and mmpretrain's tools/train.py set for --amp and
    # --auto-scale-lr, and --resume PATH, on a multi-stage config
    cfg = Config.fromfile(pipeline)
    cfg.work_dir = str(tmp_path)
    plain = MultiStageRunner(cfg).stage_cfgs
    cfg.merge_from_dict({'optim_wrapper.type': 'AmpOptimWrapper',
                         'auto_scale_lr.enable': True,
                         # each stage scales from its own batch size
                         'auto_scale_lr.base_batch_size': 999})
    for name, stage_cfg in MultiStageRunner(cfg).stage_cfgs.items():
        assert stage_cfg.optim_wrapper == dict(plain[name].optim_wrapper,
                                               type='AmpOptimWrapper')
        assert stage_cfg.auto_scale_lr == dict(base_batch_size=128,
                                               enable=True)
    cfg.load_from = 'x.pth'
    with pytest.raises(ConfigError, match='use --resume without a path'):
        MultiStageRunner(cfg)


def test_a_stage_named_twice_is_refused(tmp_path):
    config = tmp_path / 'twice.py'
    config.write_text("stages = {'a': dict(config='x.py'), "
                      "'a': dict(config='y.py')}\n")
    cfg = Config.fromfile(str(config))
    cfg.work_dir = str(tmp_path / 'work')
    with pytest.raises(ConfigError, match=r"names stage\(s\) \['a'\] twice"):
        MultiStageRunner(cfg)


def test_a_stage_continued_with_another_optimizer_is_warned_of(
        tmp_path, pipeline, recwarn):
    cfg = Config.fromfile(pipeline)
    cfg.work_dir = str(tmp_path)
    MultiStageRunner(cfg)  # SRM's stage 2 trains with stage 3's optimizer
    assert not [w for w in recwarn if 'trains the weights' in str(w.message)]
    cfg.stages.intermediate.cfg_options['optim_wrapper.optimizer'] = dict(
        _delete_=True, type='Adam', lr=1e-3)
    with pytest.warns(UserWarning, match="stage 'kd' trains the weights of "
                      "stage 'intermediate' on with SGD, after Adam"):
        MultiStageRunner(cfg)


def test_a_work_dir_under_a_file_is_refused_by_the_runner(tmp_path, pipeline):
    # as tools/train.py refuses it, for a runner built by any script
    (tmp_path / 'a_file').write_text('kept')
    cfg = Config.fromfile(pipeline)
    cfg.work_dir = str(tmp_path / 'a_file' / 'work')
    with pytest.raises(ConfigError, match='is a file, not a folder'):
        MultiStageRunner(cfg)
    assert (tmp_path / 'a_file').read_text() == 'kept'
