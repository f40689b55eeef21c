"""Each fix of srm_mmrazor.compat: the failure it prevents, then the fix."""
import os.path as osp

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


def test_mmrazors_train_tool_builds_the_runner_a_config_names(
        run_python, config_path, tiny_pipeline, tmp_path):
    # MMRazor 1.0.0's own tools/train.py (its package ships it), which calls
    # Runner.from_cfg whatever the config's runner_type: on a multi-stage
    # config it runs the stages (here the first alone), with its flags
    # passed on. On torch 2 its register_all_modules needs srm_mmrazor's
    # fixes first; on the stack MMRazor was made for, the config's
    # custom_imports bring them.
    import mmrazor
    tool = osp.join(osp.dirname(mmrazor.__file__), '.mim', 'tools',
                    'train.py')
    pipeline = config_path('srm_resnet18-w16_resnet18-w8_1xb128_'
                           'fashion-mnist.py')
    argv = [tool, pipeline, '--work-dir', str(tmp_path), '--auto-scale-lr',
            '--cfg-options', *tiny_pipeline(pipeline), 'only_stage=teacher']
    result = run_python(
        f'import runpy, sys, srm_mmrazor; sys.argv = {argv!r}; '
        'runpy.run_path(sys.argv[0], run_name="__main__")')
    assert result.returncode == 0, result.stderr[-3000:]
    log = result.stdout + result.stderr
    assert '[teacher] finished in' in log
    # the teacher's own base batch size, 128, against the tiny runs' 16
    assert 'LR is set based on batch size of 128 and the current batch ' \
        'size is 16. Scaling the original LR by 0.125.' in log
    assert (tmp_path / 'teacher' / 'summary.json').is_file()
    assert not (tmp_path / 'student').exists()


def test_l2_loss_takes_channels_last_features(run_python):
    loss = ('import torch; from mmrazor.models.losses import L2Loss; '
            'x = torch.rand(2, 4, 3, 3); '
            'nhwc = x.contiguous(memory_format=torch.channels_last); '
            'print(float(L2Loss()(nhwc, 2 * nhwc)), '
            'float(L2Loss()(x, 2 * x)))')
    broken = run_python(ONLY_TORCHVISION_FIX + 'from srm_mmrazor import '
                        'compat; compat.let_mmrazor_import_on_torch2(); '
                        + loss)
    if broken.returncode == 0:
        pytest.skip("this MMRazor's L2Loss takes channels-last features")
    assert 'view size is not compatible' in broken.stderr

    fixed = run_python('import srm_mmrazor; ' + loss)
    assert fixed.returncode == 0, fixed.stderr
    channels_last, contiguous = map(float, fixed.stdout.split())
    assert channels_last == pytest.approx(contiguous)
