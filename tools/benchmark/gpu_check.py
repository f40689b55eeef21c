"""Training throughput and peak GPU memory of each stage of an SRM
multi-stage config (configs/srm_r50_mbv2.py) and of its KD baseline, on
synthetic ImageNet-shaped images. Each stage config, and the last stage's
config with the student's init_cfg removed (the KD baseline), trains for
--iters iterations through tools/dist_train.sh, in fp32 and with --amp, each
run in its own work dir. No checkpoint is loaded (nothing is downloaded),
none is saved and nothing is validated: the numbers are throughput, not
accuracy. With no checkpoint to load, the last stage does the KD baseline's
work, so its ratio shows the run-to-run noise. Prints a table, writes it to
gpu_check.json in the work dir, exits non-zero if a run fails.

    bash tools/benchmark/gpu_check.sh [--iters 40] [--warmup 10] [--batch 32]
        [--size 224] [--gpus 1] [--precisions fp32 amp] [--work-dir DIR]
        [--config configs/srm_r50_mbv2.py]
"""
import argparse
import glob
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import time

import torch
from mmengine.config import Config

from srm_mmrazor.engine import stage_config_file

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
BASELINE = 'KD baseline'


def runs_of(config):
    """(name, title, stage config path) of each stage of the multi-stage
    ``config``, then of the KD baseline."""
    cfg = Config.fromfile(config, import_custom_modules=False)
    runs = [(name, stage.get('title', name), stage_config_file(cfg, name))
            for name, stage in cfg.stages.items()]
    return runs + [('kd_baseline', BASELINE, runs[-1][2])]


def cfg_options(path, samples, batch, size):
    """--cfg-options training ``path`` on ``samples`` synthetic images for
    one epoch, loading no checkpoint, saving, validating and testing nothing
    and logging every iteration's own time."""
    model = Config.fromfile(path, import_custom_modules=False).model
    options = {
        'train_dataloader.batch_size': batch,
        'train_dataloader.dataset._delete_': True,
        'train_dataloader.dataset.type': 'SyntheticImages',
        'train_dataloader.dataset.num_samples': samples,
        'train_dataloader.dataset.image_size': size,
        'train_cfg.max_epochs': 1,
        'val_dataloader': None,
        'val_cfg': None,
        'val_evaluator': None,
        'test_dataloader': None,
        'test_cfg': None,
        'test_evaluator': None,
        'default_hooks.checkpoint': None,
        'default_hooks.logger.interval': 1,
        'log_processor.window_size': 1,
    }
    for key in ('teacher_ckpt', 'dictionary_ckpt'):
        if key in model:
            options[f'model.{key}'] = None
    if model.get('architecture', {}).get('init_cfg'):
        options['model.architecture.init_cfg'] = None
    return [f'{key}={value}' for key, value in options.items()]


def train(path, work_dir, options, gpus, amp):
    """Run tools/dist_train.sh, its output in ``work_dir``/run.log; whether
    it succeeded. The learning rates, set for a total batch of 256, are
    scaled to the run's (--auto-scale-lr, as for a real run on fewer GPUs),
    which keeps even the tiny CPU runs' losses finite."""
    os.makedirs(work_dir, exist_ok=True)
    command = ['bash', osp.join(REPO, 'tools', 'dist_train.sh'), path,
               str(gpus), '--work-dir', work_dir, '--auto-scale-lr']
    command += ['--amp'] if amp else []
    env = dict(os.environ, PYTHON=os.environ.get('PYTHON', sys.executable))
    with open(osp.join(work_dir, 'run.log'), 'w') as log:
        result = subprocess.run(command + ['--cfg-options'] + options,
                                cwd=REPO, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    return result.returncode == 0


def measure(work_dir, warmup):
    """Mean iteration time (s) after ``warmup`` iterations and peak memory
    (MB, None without CUDA), from the latest run's vis_data/scalars.json."""
    found = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                      'scalars.json')))
    if not found:
        return None, None
    with open(found[-1]) as f:
        logs = [json.loads(line) for line in f]
    iters = [log for log in logs if 'time' in log]
    times = [log['time'] for log in iters if log['step'] > warmup]
    memory = [log['memory'] for log in iters if 'memory' in log]
    return (statistics.mean(times) if times else None,
            max(memory) if memory else None)


def check(title, precision, path, options, run_dir, args):
    """Train one run and measure it; prints a line (the log's end if it
    failed) and returns its row of the report."""
    started = time.time()
    ok = train(path, run_dir, options, args.gpus, precision == 'amp')
    seconds, memory = measure(run_dir, args.warmup)
    if not ok or seconds is None:
        with open(osp.join(run_dir, 'run.log'), errors='replace') as f:
            log_tail = ''.join(f.readlines()[-40:])
        print(f'{title}, {precision}: FAILED; the end of {run_dir}/run.log:'
              f'\n{log_tail}', flush=True)
        seconds = None
    else:
        print(f'{title}, {precision}: {seconds:.3f} s/iteration '
              f'(run in {time.time() - started:.0f} s)', flush=True)
    return dict(stage=title, precision=precision, step_time_s=seconds,
                images_per_s=seconds and args.batch * args.gpus / seconds,
                peak_memory_mb=memory, work_dir=run_dir)


def add_ratios(results):
    """Each run's step time over the KD baseline's at its precision."""
    baseline = {r['precision']: r['step_time_s'] for r in results
                if r['stage'] == BASELINE}
    for r in results:
        base = baseline.get(r['precision'])
        r['ratio_to_kd_baseline'] = (r['step_time_s'] / base
                                     if r['step_time_s'] and base else None)


def table(results):
    lines = ['| stage | precision | images/s | peak memory (MB) | '
             'step time / KD baseline |', '| --- | --- | --- | --- | --- |']
    for r in results:
        if r['step_time_s'] is None:
            lines.append(f'| {r["stage"]} | {r["precision"]} | FAILED | | |')
            continue
        memory, ratio = r['peak_memory_mb'], r['ratio_to_kd_baseline']
        lines.append(
            f'| {r["stage"]} | {r["precision"]} | {r["images_per_s"]:.1f} | '
            f'{"n/a" if memory is None else memory} | '
            f'{"n/a" if ratio is None else f"{ratio:.2f}"} |')
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--config', default=osp.join(REPO, 'configs',
                                                     'srm_r50_mbv2.py'),
                        help='the multi-stage config whose stages run')
    parser.add_argument('--iters', type=int, default=40,
                        help='iterations of each run (one epoch)')
    parser.add_argument('--warmup', type=int, default=10,
                        help='first iterations left out of the timing')
    parser.add_argument('--batch', type=int, default=32, help='per GPU')
    parser.add_argument('--size', type=int, default=224,
                        help='image height and width')
    parser.add_argument('--gpus', type=int, default=1,
                        help='processes (GPUs) of each run')
    parser.add_argument('--precisions', nargs='+', default=['fp32', 'amp'],
                        choices=['fp32', 'amp'])
    parser.add_argument('--work-dir', default='work_dirs/gpu_check')
    args = parser.parse_args()
    if not 0 <= args.warmup < args.iters:
        parser.error(f'--warmup must be in [0, --iters), got {args.warmup}')
    started = time.time()
    work = osp.abspath(args.work_dir)
    device = (torch.cuda.get_device_name(0) if torch.cuda.is_available()
              else f'no GPU ({os.cpu_count()} CPU cores)')
    print(f'{device}, torch {torch.__version__}', flush=True)

    samples = args.iters * args.batch * args.gpus
    runs = [(name, title, path,
             cfg_options(path, samples, args.batch, args.size))
            for name, title, path in runs_of(osp.abspath(args.config))]
    results = [
        check(title, precision, path, options,
              osp.join(work, precision, name), args)
        for precision in args.precisions
        for name, title, path, options in runs
    ]
    add_ratios(results)
    report = table(results)
    elapsed = round(time.time() - started)
    print(f'\n{device}, torch {torch.__version__}: {args.gpus} x batch '
          f'{args.batch}, {args.size}x{args.size}, {args.iters} iterations '
          f'({args.warmup} of warm-up), {elapsed} s in all\n\n{report}')
    with open(osp.join(work, 'gpu_check.json'), 'w') as f:
        json.dump(dict(device=device, torch=torch.__version__,
                       config=args.config, gpus=args.gpus, batch=args.batch,
                       size=args.size, iters=args.iters, warmup=args.warmup,
                       seconds=elapsed, runs=results), f, indent=2)
    failed = [r['work_dir'] for r in results if r['step_time_s'] is None]
    if failed:
        sys.exit(f'{len(failed)} run(s) failed: {", ".join(failed)}')


if __name__ == '__main__':
    main()
