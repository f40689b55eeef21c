"""Each fix of srm_mmrazor.compat: the failure it prevents, then the fix."""
import pytest
import torch

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
