"""The GPU check runs end to end on CPU at a tiny size (fp32 only: AMP
needs a GPU)."""
import json
from pathlib import Path

STAGE1 = (Path(__file__).parents[2] / 'configs' / 'distill' / 'mmcls' / 'srm' /
          'srm_resnet50_mobilenet-v2_8xb32_in1k_stage1.py')


def test_gpu_check_times_every_stage_and_the_kd_baseline(
        tmp_path, run_tool, free_port):
    # batch 4, not 2: at 32x32 the last maps are 1x1, and BatchNorm over
    # two values blows the student up within three iterations
    result = run_tool('benchmark/gpu_check.sh', '--size', 32, '--batch', 4,
                      '--iters', 2, '--warmup', 1, '--precisions', 'fp32',
                      '--work-dir', tmp_path, env={'PORT': str(free_port)},
                      timeout=300)
    report = json.loads((tmp_path / 'gpu_check.json').read_text())
    stages = ['SRM stage 1: dictionary', 'SRM stage 2: intermediate layers',
              'SRM student (stage 3: KD)', 'KD baseline']
    assert [r['stage'] for r in report['runs']] == stages
    for run in report['runs']:
        assert run['precision'] == 'fp32' and run['images_per_s'] > 0
        assert run['peak_memory_mb'] is None  # no CUDA
        assert f'| {run["stage"]} | fp32 | ' in result.stdout
        assert (tmp_path / 'fp32' / run['work_dir'].split('/')[-1]).is_dir()
    assert report['runs'][-1]['ratio_to_kd_baseline'] == 1.0
    assert '| n/a |' in result.stdout and 'torch ' in result.stdout


def test_gpu_check_fails_with_the_end_of_the_failed_run_log(
        tmp_path, run_tool, free_port):
    stage = tmp_path / 'broken_stage.py'
    stage.write_text(
        f"_base_ = '{STAGE1}'\n"
        "model = dict(distiller=dict(teacher_recorders=dict(\n"
        "    layer1=dict(source='backbone.layer_1'))))\n")
    pipeline = tmp_path / 'pipeline.py'
    pipeline.write_text(
        "stages = dict(broken=dict(config='broken_stage.py'))\n")
    result = run_tool('benchmark/gpu_check.sh', '--config', pipeline,
                      '--size', 32, '--batch', 4, '--iters', 2, '--warmup', 1,
                      '--precisions', 'fp32', '--work-dir', tmp_path / 'work',
                      env={'PORT': str(free_port)}, check=False, timeout=300)
    assert result.returncode != 0
    assert "'backbone.layer_1' is not a module of the teacher" in result.stdout
    assert '| broken | fp32 | FAILED |' in result.stdout
    assert '| KD baseline | fp32 | FAILED |' in result.stdout
