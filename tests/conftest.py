import os
import os.path as osp
import socket
import subprocess
import sys

import pytest

import srm_mmrazor  # noqa: F401  (stack fixes first, as the tools do)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = osp.join(REPO, 'configs')

# A few real Fashion-MNIST iterations: 64 training images in batches of 16,
# augmentation off (crop without padding, no flip: runs are reproducible),
# 64 test images, a checkpoint at every epoch.
TINY = [
    'train_dataloader.dataset.indices=64',
    'train_dataloader.batch_size=16',
    'train_dataloader.dataset.pipeline.0.padding=0',
    'train_dataloader.dataset.pipeline.1.prob=0.0',
    'val_dataloader.dataset.indices=64',
    'test_dataloader.dataset.indices=64',
    'train_cfg.max_epochs=1',
    'default_hooks.checkpoint.interval=1',
    'default_hooks.logger.interval=1',
    'randomness.seed=0',
]


def _run_tool(*args, env=None, check=True, timeout=600):
    """Run a tool of ``tools/`` (a .py or .sh) in a fresh process."""
    tool = osp.join(REPO, 'tools', args[0])
    command = ([sys.executable, tool] if tool.endswith('.py') else
               ['bash', tool])
    full_env = dict(os.environ, PYTHON=sys.executable, **(env or {}))
    result = subprocess.run(
        command + [str(a) for a in args[1:]],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f'{args} failed:\n{result.stdout[-3000:]}\n'
                             f'{result.stderr[-5000:]}')
    return result


def _start_tool(*args):
    """Start ``tools/<script>.py ARGS`` in the background, output discarded."""
    return subprocess.Popen(
        [sys.executable, osp.join(REPO, 'tools', args[0])] +
        [str(a) for a in args[1:]],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)


def _run_python(code, env=None):
    """Run ``code`` in a fresh interpreter (for fixes that act at import)."""
    return subprocess.run([sys.executable, '-c', code],
                          cwd=REPO,
                          env=dict(os.environ, **(env or {})),
                          capture_output=True,
                          text=True,
                          timeout=300)


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture(scope='session')
def tiny():
    """--cfg-options for a few real Fashion-MNIST iterations."""
    return tuple(TINY)


@pytest.fixture(scope='session')
def tiny_pipeline():
    """:func:`tiny` for every stage of a multi-stage config: shared, and
    also for each stage that sets one of those keys itself (its own options
    win over the shared ones). With ``own_epochs``, each stage keeps its
    number of epochs (to check how long the stages train against each
    other)."""

    def options(path, own_epochs=False):
        from mmengine.config import Config
        stages = Config.fromfile(path).stages
        return [f'stage_cfg_options.{option}' for option in TINY] + [
            f'stages.{name}.cfg_options.{option}'
            for name, stage in stages.items() for option in TINY
            if option.split('=')[0] in stage.get('cfg_options', {})
            and not (own_epochs and option.startswith('train_cfg.max_epochs'))
        ]

    return options


@pytest.fixture(scope='session')
def tiny_train():
    """:func:`tiny` for configs without validation (SRM stages 1 and 2)."""
    return tuple(o for o in TINY if not o.startswith(('val_', 'test_')))


@pytest.fixture(scope='session')
def run_tool():
    return _run_tool


@pytest.fixture(scope='session')
def start_tool():
    return _start_tool


@pytest.fixture(scope='session')
def run_python():
    return _run_python


@pytest.fixture
def free_port():
    return _free_port()


@pytest.fixture(scope='session')
def config_path():
    """Path of a config, by its file name (configs/ keeps them by method:
    vanilla/mmcls/resnet/, distill/mmcls/<method>/; bases left out)."""
    paths = {}
    for folder, _, names in os.walk(CONFIGS):
        for name in names:
            if '_base_' not in folder and name.endswith('.py'):
                assert name not in paths, f'two configs named {name}'
                paths[name] = osp.join(folder, name)
    return paths.__getitem__
