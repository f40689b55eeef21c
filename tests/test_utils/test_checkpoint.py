"""srm_mmrazor.utils.checkpoint: every checkpoint loaded under one policy,
trusted only where the user says so, and saved whole or not at all."""
import argparse
import os
import pickle
import zipfile

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmengine.runner.checkpoint import _load_checkpoint

from srm_mmrazor.engine import MultiStageRunner
from srm_mmrazor.errors import CheckpointError, CheckpointRefused, ConfigError
from srm_mmrazor.utils import (add_common_args, checkpoint, load_config,
                               read_weights)


@pytest.fixture(autouse=True)
def nothing_trusted(monkeypatch):
    """Each test starts with no trusted checkpoint in this process."""
    monkeypatch.setattr(checkpoint, '_trusted', set())


def save_training_checkpoint(path):
    """What mmengine's runner saves besides weights: message hub history."""
    hub = MessageHub('checkpoint-test')
    hub.update_scalar('train/loss', np.float64(0.5))
    hub.update_info('eta', np.float64(3.0))
    torch.save({'state_dict': {'w': torch.ones(2)},
                'message_hub': hub.state_dict()}, path)


def test_training_checkpoints_load_weights_only(tmp_path):
    path = str(tmp_path / 'epoch_1.pth')
    save_training_checkpoint(path)
    if torch.__version__ >= (2, 6):
        with pytest.raises(pickle.UnpicklingError):
            torch.load(path)  # torch's default refuses mmengine's state
    loaded = _load_checkpoint(path)
    history = loaded['message_hub']['log_scalars']['train/loss']
    assert history.mean() == 0.5
    assert loaded['state_dict']['w'].tolist() == [1.0, 1.0]


class Payload:
    """Unpickling it creates a folder: stands for any code a file can run."""

    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (os.mkdir, (self.target, ))


def save_payload(tmp_path, name='evil.pth'):
    """A checkpoint that runs code when fully unpickled; its path and the
    folder that running it creates."""
    target = tmp_path / f'{name}_ran'
    path = str(tmp_path / name)
    torch.save({'state_dict': {}, 'meta': Payload(str(target))}, path)
    return path, target


def test_arbitrary_globals_are_refused_unless_trusted(tmp_path):
    path, target = save_payload(tmp_path)

    with pytest.raises(CheckpointRefused, match='--trust-checkpoint'):
        _load_checkpoint(path)
    assert not target.exists()

    checkpoint.trust_checkpoints([path])
    _load_checkpoint(path)
    assert target.exists()


def test_no_environment_variable_trusts_a_checkpoint(tmp_path, monkeypatch):
    path, target = save_payload(tmp_path)
    monkeypatch.setenv('SRM_TRUSTED_CHECKPOINTS', path)
    with pytest.raises(CheckpointRefused) as error:
        _load_checkpoint(path)
    assert not target.exists()
    assert str(error.value).endswith(
        f'allow it with --trust-checkpoint {path} (or, in a config, '
        'trusted_checkpoints = [...])')


def test_the_argument_and_the_config_trust_list_both_trust(
        tmp_path, monkeypatch):
    by_argument, ran_by_argument = save_payload(tmp_path, 'argument.pth')
    by_config, ran_by_config = save_payload(tmp_path, 'config.pth')
    config = tmp_path / 'config.py'
    config.write_text(f'trusted_checkpoints = [{by_config!r}]\n')
    parser = argparse.ArgumentParser()
    parser.add_argument('config')
    add_common_args(parser)
    monkeypatch.setenv('LOCAL_RANK', '0')  # load_config sets it if unset

    load_config(parser.parse_args([
        str(config), '--work-dir', str(tmp_path / 'work'),
        '--trust-checkpoint', by_argument]))
    _load_checkpoint(by_argument)
    _load_checkpoint(by_config)
    assert ran_by_argument.exists() and ran_by_config.exists()

    config.write_text(f'trusted_checkpoints = {by_config!r}\n')
    with pytest.raises(ConfigError, match='give a list of checkpoint paths'):
        load_config(parser.parse_args([str(config)]))


def test_a_pipelines_and_a_stage_configs_trust_lists_trust(tmp_path):
    # the runner trusts them however it is built (here by a script)
    by_stage, ran_by_stage = save_payload(tmp_path, 'stage.pth')
    by_pipeline, ran_by_pipeline = save_payload(tmp_path, 'pipeline.pth')
    (tmp_path / 'stage.py').write_text(
        f'trusted_checkpoints = [{by_stage!r}]\n')
    pipeline = tmp_path / 'pipeline.py'
    pipeline.write_text("stages = dict(only=dict(config='stage.py'))\n"
                        f'trusted_checkpoints = [{by_pipeline!r}]\n'
                        f'work_dir = {str(tmp_path / "work")!r}\n')
    MultiStageRunner(Config.fromfile(str(pipeline)))
    _load_checkpoint(by_stage)
    _load_checkpoint(by_pipeline)
    assert ran_by_stage.exists() and ran_by_pipeline.exists()


def test_getattr_is_limited_to_history_buffer_statistics(tmp_path):

    class Sneaky:
        def __reduce__(self):
            return (getattr, (np.ndarray, 'tofile'))

    path = str(tmp_path / 'sneaky.pth')
    torch.save({'meta': Sneaky()}, path)
    with pytest.raises(CheckpointRefused, match='refused getattr'):
        _load_checkpoint(path)


def test_unreadable_checkpoint_is_named(tmp_path):
    path = tmp_path / 'truncated.pth'
    save_training_checkpoint(str(path))
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(CheckpointError, match='truncated or corrupted'):
        _load_checkpoint(str(path))
    with pytest.raises(CheckpointError, match='does not exist'):
        _load_checkpoint(str(tmp_path / 'absent.pth'))


def test_a_save_killed_half_way_leaves_no_checkpoint(tmp_path, monkeypatch):
    """mmengine writes the checkpoint bytes straight to the final name; a
    run that dies while writing (here: the write breaks half way) must leave
    nothing there that a later resume would read."""
    from mmengine.fileio.backends import LocalBackend
    from mmengine.runner import runner as mm_runner

    def half_written(self, obj, filepath):
        with open(filepath, 'wb') as f:
            f.write(obj[:len(obj) // 2])
        raise OSError('killed while writing')

    path = tmp_path / 'epoch_1.pth'
    weights = {'state_dict': {'w': torch.ones(2**18)}}  # 1 MiB
    with monkeypatch.context() as patch:
        patch.setattr(LocalBackend, 'put', half_written)
        with pytest.raises(CheckpointError) as error:
            mm_runner.save_checkpoint(weights, str(path))
    assert str(error.value) == (
        f'could not save checkpoint {path} (killed while writing); the '
        'checkpoints saved before it are kept. It needs about 1 MiB: free '
        f'space in {tmp_path}, then rerun with --resume')
    assert list(tmp_path.iterdir()) == []  # no partial file left either
    mm_runner.save_checkpoint(weights, str(path))
    assert _load_checkpoint(str(path))['state_dict']['w'].sum() == 2**18


def write_zip_of_random_bytes(path):
    with zipfile.ZipFile(path, 'w') as archive:
        archive.writestr('archive/data.pkl', os.urandom(300))


@pytest.mark.parametrize('content, message', [
    (lambda path: path.write_bytes(b''), 'truncated or corrupted'),
    (lambda path: path.write_text('not a checkpoint\n'),
     'truncated or corrupted'),
    (lambda path: path.write_bytes(bytes(range(256)) * 4),
     'truncated or corrupted'),
    (write_zip_of_random_bytes, 'truncated or corrupted'),
    (lambda path: torch.save([1, 2, 3], path),
     'holds a list, not a checkpoint'),
])
def test_files_that_are_not_checkpoints_are_called_so(tmp_path, content,
                                                      message):
    path = tmp_path / 'x.pth'
    content(path)
    with pytest.raises(CheckpointError, match=message) as error:
        read_weights(str(path))
    assert not isinstance(error.value, CheckpointRefused)  # not "untrusted"


def test_no_code_loads_a_checkpoint_around_the_policy():
    """Every checkpoint the package and the tools read goes through
    srm_mmrazor/utils/checkpoint.py: nothing else calls torch.load."""
    repo = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    policy = os.path.join(repo, 'srm_mmrazor', 'utils', 'checkpoint.py')
    offenders = []
    for folder in ('srm_mmrazor', 'tools'):
        for root, _, names in os.walk(os.path.join(repo, folder)):
            for name in names:
                path = os.path.join(root, name)
                if not name.endswith('.py') or path == policy:
                    continue
                with open(path) as f:
                    text = f.read()
                if 'torch.load(' in text or 'weights_only' in text:
                    offenders.append(os.path.relpath(path, repo))
    assert offenders == []


def test_file_url_and_a_broken_download_in_the_cache(tmp_path, monkeypatch):
    path = tmp_path / 'weights.pth'
    torch.save({'state_dict': {'w': torch.ones(3)}}, path)
    assert read_weights(f'file://{path}')['w'].sum() == 3

    # a file in torch's hub cache that does not load: named, with the way out
    monkeypatch.setattr(torch.hub, 'get_dir', lambda: str(tmp_path / 'hub'))
    cached = tmp_path / 'hub' / 'checkpoints' / 'teacher.pth'
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b'<html>404 Not Found</html>')
    with pytest.raises(CheckpointError) as error:
        read_weights('https://example.invalid/models/teacher.pth')
    assert str(error.value) == (
        'checkpoint https://example.invalid/models/teacher.pth is truncated '
        f'or corrupted: it was downloaded to {cached}, which is not a file '
        'torch.save writes. Delete that file to download it again')
