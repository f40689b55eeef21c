import glob
import os

import torch


def test_two_cpu_processes_train_and_only_rank0_writes(
        tmp_path, run_tool, tiny, config_path, free_port):
    config = config_path('resnet18-w8_1xb128_fashion-mnist.py')
    result = run_tool('dist_train.sh', config, 2, '--work-dir', tmp_path,
                      '--cfg-options', *tiny, env=dict(PORT=str(free_port)))
    output = result.stdout + result.stderr
    assert 'Distributed launcher: pytorch' in output
    assert 'Distributed training: True' in output

    checkpoint = torch.load(tmp_path / 'epoch_1.pth', weights_only=False)
    assert checkpoint['meta']['iter'] == 2  # 64 images, 2 x 16 per step

    written = sorted(
        os.path.relpath(path, tmp_path)
        for path in glob.glob(str(tmp_path / '**'), recursive=True)
        if os.path.isfile(path))
    run_dir = os.path.dirname(written[0])
    assert written == [
        f'{run_dir}/{run_dir}.log',
        f'{run_dir}/vis_data/{run_dir}.json',
        f'{run_dir}/vis_data/config.py',
        f'{run_dir}/vis_data/scalars.json',
        'epoch_1.pth',
        'last_checkpoint',
        'resnet18-w8_1xb128_fashion-mnist.py',
    ]
