import glob
import os.path as osp

import torch

TEACHER = 'resnet18-w16_1xb128_fashion-mnist.py'
STUDENT = 'resnet18-w8_1xb128_fashion-mnist.py'


def load(path):
    return torch.load(path, weights_only=False)


def test_train_writes_a_checkpoint_and_test_evaluates_it(
        tmp_path, run_tool, tiny, config_path):
    config = config_path(STUDENT)
    run_tool('train.py', config, '--work-dir', tmp_path, '--cfg-options',
             *tiny)
    checkpoint = load(tmp_path / 'epoch_1.pth')
    assert checkpoint['meta']['iter'] == 4  # 64 images, batches of 16

    out = tmp_path / 'metrics.json'
    run_tool('test.py', config, tmp_path / 'epoch_1.pth', '--work-dir',
             tmp_path, '--out', out, '--cfg-options', *tiny)
    assert '"accuracy/top1"' in out.read_text()


def test_resume_continues_where_training_stopped(tmp_path, run_tool, tiny,
                                                 config_path):
    """One epoch, then --resume for a second, ends where two epochs in one
    go end: the optimizer (momentum) and the LR schedule were restored."""
    config = config_path(TEACHER)
    two_epochs = ['train_cfg.max_epochs=2', 'param_scheduler.end=2']
    run_tool('train.py', config, '--work-dir', tmp_path / 'straight',
             '--cfg-options', *tiny, *two_epochs)
    resumed = tmp_path / 'resumed'
    run_tool('train.py', config, '--work-dir', resumed, '--cfg-options', *tiny,
             'param_scheduler.end=2')
    first_epoch = load(resumed / 'epoch_1.pth')
    result = run_tool('train.py', config, '--work-dir', resumed, '--resume',
                      '--cfg-options', *tiny, *two_epochs)
    assert 'resumed epoch: 1, iter: 4' in result.stdout + result.stderr

    straight = load(tmp_path / 'straight' / 'epoch_2.pth')
    second = load(resumed / 'epoch_2.pth')
    assert second['meta']['iter'] == 8
    for name, weight in straight['state_dict'].items():
        torch.testing.assert_close(second['state_dict'][name], weight,
                                   msg=name)
    assert (second['param_schedulers'][0]['last_step'] ==
            straight['param_schedulers'][0]['last_step'])
    # nothing from the first run is lost: its checkpoint and its log
    kept = load(resumed / 'epoch_1.pth')
    assert kept['meta'] == first_epoch['meta']
    assert len(glob.glob(str(resumed / '*' / '*.log'))) == 2


def test_missing_config_is_one_line(run_tool):
    result = run_tool('train.py', 'configs/absent.py', check=False)
    assert result.returncode != 0
    assert result.stderr.strip() == 'error: config file not found: ' \
                                    'configs/absent.py'


def test_unknown_launcher_is_one_line(run_tool, config_path):
    result = run_tool('train.py', config_path(TEACHER), '--launcher',
                      'magic', check=False)
    assert result.returncode != 0
    assert 'Traceback' not in result.stderr
    assert "invalid choice: 'magic'" in result.stderr.splitlines()[-1]


def test_missing_dataset_says_how_to_install(tmp_path, run_tool, tiny,
                                             config_path):
    result = run_tool(
        'train.py', config_path(TEACHER), '--work-dir', tmp_path,
        '--cfg-options', *tiny,
        f'train_dataloader.dataset.data_root={tmp_path / "nowhere"}',
        check=False)
    assert result.returncode != 0
    assert 'Traceback' not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith('error: ') and 'apt-get install' in last
    assert not glob.glob(osp.join(tmp_path, '*.pth'))
