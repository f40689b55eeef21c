"""Each fix of srm_mmrazor.compat: the failure it prevents, then the fix."""
import os
import pickle
import zipfile

import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.runner.checkpoint import _load_checkpoint

from srm_mmrazor import compat
from srm_mmrazor.errors import CheckpointError, CheckpointRefused
from srm_mmrazor.utils import read_weights

# Loads srm_mmrazor.compat without running the package's __init__ (which
# applies every fix) and applies the torchvision fix alone, which importing
# mmpretrain or mmrazor needs first.
ONLY_TORCHVISION_FIX = (
    'import sys, types; package = types.ModuleType("srm_mmrazor"); '
    'package.__path__ = ["srm_mmrazor"]; sys.modules["srm_mmrazor"] = package; '
    'from srm_mmrazor import compat; '
    'compat.allow_torchvision_without_compiled_ops(); ')


def test_importing_registers_the_plugin():
    import mmrazor.models  # noqa: F401
    from mmrazor.registry import DATASETS, MODELS
    assert DATASETS.get('mmpretrain.FashionMNISTGz') is not None
    assert MODELS.get('SingleTeacherDistill') is not None


def test_torchvision_imports_beside_cpu_torch(run_python):
    broken = run_python('import torchvision')
    if broken.returncode == 0:
        pytest.skip('torchvision imports without the fix on this stack')
    assert 'torchvision::nms does not exist' in broken.stderr

    fixed = run_python(
        ONLY_TORCHVISION_FIX + 'import torch, torchvision.transforms.functional '
        'as F; print(tuple(F.resize(torch.rand(1, 8, 8), [4, 4]).shape))')
    assert fixed.returncode == 0, fixed.stderr
    assert '(1, 4, 4)' in fixed.stdout


def test_mmrazor_models_import_on_torch2(run_python):
    broken = run_python(ONLY_TORCHVISION_FIX + 'import mmrazor.models')
    assert broken.returncode != 0
    assert '`torch>=1.13` is not installed properly' in broken.stderr

    fixed = run_python('import srm_mmrazor, mmrazor.models')
    assert fixed.returncode == 0, fixed.stderr


@pytest.mark.skipif(torch.cuda.is_available(), reason='the fix is for CPU')
def test_pytorch_launcher_without_cuda(run_python, free_port):
    env = dict(RANK='0', LOCAL_RANK='0', WORLD_SIZE='1',
               MASTER_ADDR='127.0.0.1', MASTER_PORT=str(free_port))
    init = ('from mmengine.dist import init_dist; init_dist("pytorch"); '
            'import torch.distributed as d; print(d.get_backend())')
    broken = run_python(ONLY_TORCHVISION_FIX + init, env)
    assert broken.returncode != 0
    assert 'cuda' in broken.stderr.lower()

    fixed = run_python('import srm_mmrazor; ' + init, env)
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stdout.strip() == 'gloo'


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
    checkpoint = _load_checkpoint(path)
    history = checkpoint['message_hub']['log_scalars']['train/loss']
    assert history.mean() == 0.5
    assert checkpoint['state_dict']['w'].tolist() == [1.0, 1.0]


class Payload:
    """Unpickling it creates a folder: stands for any code a file can run."""

    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (os.mkdir, (self.target, ))


def test_arbitrary_globals_are_refused_unless_trusted(tmp_path, monkeypatch):
    target = tmp_path / 'payload_ran'
    path = str(tmp_path / 'evil.pth')
    torch.save({'state_dict': {}, 'meta': Payload(str(target))}, path)

    with pytest.raises(CheckpointRefused, match='--trust-checkpoint'):
        _load_checkpoint(path)
    assert not target.exists()

    monkeypatch.setenv(compat.TRUSTED_CHECKPOINTS_ENV, path)
    _load_checkpoint(path)
    assert target.exists()


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
    checkpoint = {'state_dict': {'w': torch.ones(2**18)}}  # 1 MiB
    with monkeypatch.context() as patch:
        patch.setattr(LocalBackend, 'put', half_written)
        with pytest.raises(CheckpointError) as error:
            mm_runner.save_checkpoint(checkpoint, str(path))
    assert str(error.value) == (
        f'could not save checkpoint {path} (killed while writing); the '
        'checkpoints saved before it are kept. It needs about 1 MiB: free '
        f'space in {tmp_path}, then rerun with --resume')
    assert list(tmp_path.iterdir()) == []  # no partial file left either
    mm_runner.save_checkpoint(checkpoint, str(path))
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
    compat.load_checkpoint_file: none calls torch.load itself."""
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    offenders = []
    for folder in ('srm_mmrazor', 'tools'):
        for root, _, names in os.walk(os.path.join(repo, folder)):
            for name in names:
                path = os.path.join(root, name)
                if not name.endswith('.py') or path.endswith('compat.py'):
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
