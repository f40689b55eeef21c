"""SRM against training alone, KD, FitNets and AT on Fashion-MNIST, and SRM's
ablations: same teacher checkpoint, same student architecture and initial
weights (per seed), the same student-training budget for every method (SRM's
and FitNets' first stages count against it), in two data regimes. Writes
docs/benchmarks.md and its plots.

    python tools/benchmark/accuracy.py            # the full protocol
    python tools/benchmark/accuracy.py --quick    # a few minutes, a smoke run

A rerun reuses finished runs (each one is a multi-stage run in
``--work-dir``).
"""
import argparse
import json
import os
import os.path as osp
import platform
import statistics
import time

import torch
from mmengine.config import Config
from plots import plot_accuracy, plot_dictionary

import srm_mmrazor  # noqa: F401  (applies the stack fixes, registers modules)
from srm_mmrazor.engine import MultiStageRunner

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(REPO, 'configs', 'fashion_mnist')
PAIR = 'resnet18-w16_resnet18-w8_1xb128_fashion-mnist'
TEACHER = f'{CFG}/resnet18-w16_1xb128_fashion-mnist.py'
STUDENT = f'{CFG}/resnet18-w8_1xb128_fashion-mnist.py'
KD = f'{CFG}/kd_logits_{PAIR}.py'
AT = f'{CFG}/at_kd_{PAIR}.py'
HINT = f'{CFG}/fitnets_hint_{PAIR}.py'
SRM = f'{CFG}/srm_{PAIR}_stage{{}}.py'
POINTS = ('layer2', 'layer3', 'layer4', 'pooled')

# (images in the training set or None for all, teacher epochs, stage-1
# iterations, student budget in iterations, seeds, test images or None)
PROTOCOLS = dict(
    full=dict(train_images=None, teacher_epochs=3, dictionary_iters=469,
              budget=400, seeds=(0, 1, 2), test_images=None),
    quick=dict(train_images=2048, teacher_epochs=1, dictionary_iters=16,
               budget=16, seeds=(0, ), test_images=512),
)
LOW_DATA_FRACTION = 0.1


def iterations(n):
    """Train ``n`` iterations with a cosine learning rate; evaluate and save
    at the end."""
    return {
        'train_cfg': dict(
            _delete_=True, type='IterBasedTrainLoop', max_iters=n,
            val_interval=n),
        'param_scheduler': dict(
            _delete_=True, type='CosineAnnealingLR', by_epoch=False,
            begin=0, end=n),
        'default_hooks.checkpoint.by_epoch': False,
        'default_hooks.checkpoint.interval': n,
    }


def from_checkpoint(checkpoint, prefix=None):
    init = dict(type='Pretrained', checkpoint=checkpoint)
    return dict(init, prefix=prefix) if prefix else init


def methods(budget, init, teacher, dictionary):
    """Each method's student stages: name -> stages of a multi-stage run.
    ``init`` is the seed's initial student, ``teacher`` the teacher's
    checkpoint, ``dictionary`` the stage-1 checkpoint; two-stage methods
    split the budget in halves."""
    half = budget // 2

    def distill(n, **options):
        return {**iterations(n), 'model.teacher_ckpt': teacher, **options}

    start = {'model.architecture.init_cfg': from_checkpoint(init)}
    kd_after = {'model.architecture.init_cfg': from_checkpoint(
        None, 'architecture.')}
    srm = dict(
        intermediate=dict(config=SRM.format(2), cfg_options=distill(
            half, **start, **{'model.dictionary_ckpt': dictionary})),
        kd=dict(config=SRM.format(3), cfg_options=distill(half),
                handoff={'model.architecture.init_cfg.checkpoint':
                         'intermediate'}))

    def srm_with(**options):
        changed = {name: dict(stage) for name, stage in srm.items()}
        changed['intermediate']['cfg_options'] = {
            **srm['intermediate']['cfg_options'], **options}
        return changed

    return {
        'student alone': dict(student=dict(config=STUDENT, cfg_options={
            **iterations(budget), 'model.init_cfg': from_checkpoint(init)})),
        'KD': dict(kd=dict(config=KD, cfg_options=distill(budget, **start))),
        'FitNets (hint, then KD)': dict(
            hint=dict(config=HINT, cfg_options=distill(half, **start)),
            kd=dict(config=KD, cfg_options=distill(half, **kd_after),
                    handoff={'model.architecture.init_cfg.checkpoint':
                             'hint'})),
        'AT + KD': dict(at=dict(config=AT, cfg_options=distill(
            budget, **start))),
        'SRM': srm,
        'SRM, image level only': srm_with(
            **{'model.distiller.objective': 'global'}),
        'SRM, pixel level only': srm_with(
            **{'model.distiller.objective': 'local'}),
        'SRM, logits pixel mode': srm_with(**{
            f'model.distiller.heads.{p}.pixel_mode': 'logits'
            for p in POINTS}),
    }


def run(work_dir, stages, shared):
    """One multi-stage run; its summaries (finished runs are reused)."""
    cfg = Config(
        dict(stages=stages, stage_cfg_options=shared, work_dir=work_dir,
             resume=True))
    return MultiStageRunner(cfg).train()


def initial_student(path, seed):
    """The seed's initial student weights, shared by every method."""
    if not osp.isfile(path):
        from mmrazor.registry import MODELS
        pair = Config.fromfile(
            osp.join(REPO, 'configs/_base_/models/fashion_mnist_pair.py'))
        torch.manual_seed(seed)
        student = MODELS.build(pair.student_model)
        student.init_weights()
        torch.save({'state_dict': student.state_dict()}, path)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='tiny budgets, one seed: minutes, not hours')
    parser.add_argument('--work-dir', default='work_dirs/benchmark')
    parser.add_argument(
        '--out',
        help='folder of the report and the plots (default: docs/, or the '
        'work dir with --quick)')
    args = parser.parse_args()
    protocol = PROTOCOLS['quick' if args.quick else 'full']
    work = osp.abspath(args.work_dir)
    os.makedirs(work, exist_ok=True)
    started = time.time()

    # Fashion-MNIST's images come in random order: the first 10% are a
    # fixed random 10% (560 to 643 images a class for the full set)
    low = int(LOW_DATA_FRACTION * (protocol['train_images'] or 60000))
    data = {'val_dataloader.dataset.indices': protocol['test_images'],
            'test_dataloader.dataset.indices': protocol['test_images']}
    full = {**data,
            'train_dataloader.dataset.indices': protocol['train_images']}
    regimes = {'full training set': full,
               f'{LOW_DATA_FRACTION:.0%} of it': {
                   **data, 'train_dataloader.dataset.indices': low}}

    teacher = run(f'{work}/teacher', dict(teacher=dict(
        config=TEACHER, cfg_options={
            'train_cfg.max_epochs': protocol['teacher_epochs'],
            'param_scheduler.end': protocol['teacher_epochs']})), full)[0]
    dictionary = run(f'{work}/dictionary', dict(dictionary=dict(
        config=SRM.format(1), cfg_options={
            **iterations(protocol['dictionary_iters']),
            'model.teacher_ckpt': teacher['checkpoint']})), full)[0]

    results = {}
    for regime, data_options in regimes.items():
        for seed in protocol['seeds']:
            init = initial_student(f'{work}/student_init_seed{seed}.pth',
                                   seed)
            shared = {**data_options, 'randomness.seed': seed}
            for method, stages in methods(
                    protocol['budget'], init, teacher['checkpoint'],
                    dictionary['checkpoint']).items():
                name = method.replace(' ', '_').replace(',', '').replace(
                    '(', '').replace(')', '').replace('+', 'and')
                summaries = run(
                    f'{work}/{"low" if data_options is not full else "full"}'
                    f'/seed{seed}/{name}', stages, shared)
                top1 = summaries[-1]['metrics']['accuracy/top1']
                results.setdefault(regime, {}).setdefault(method,
                                                          []).append(top1)

    report = dict(
        protocol=protocol, teacher=teacher['metrics']['accuracy/top1'],
        results=results, hours=round((time.time() - started) / 3600, 2),
        dictionary_work_dir=f'{work}/dictionary/dictionary',
        dictionary_checkpoint=dictionary['checkpoint'],
        teacher_checkpoint=teacher['checkpoint'], quick=args.quick)
    with open(osp.join(work, 'results.json'), 'w') as f:
        json.dump(report, f, indent=2)
    out = args.out or (work if args.quick else osp.join(REPO, 'docs'))
    os.makedirs(out, exist_ok=True)
    write_report(report, out)


def write_report(report, out):
    plot_accuracy(report, osp.join(out, 'benchmark_accuracy.png'))
    plot_dictionary(report, out)
    regimes = list(report['results'])
    lines = ['| method | ' + ' | '.join(regimes) + ' |',
             '| --- |' + ' --- |' * len(regimes)]
    for method in report['results'][regimes[0]]:
        cells = []
        for regime in regimes:
            values = report['results'][regime][method]
            spread = (f' ± {statistics.stdev(values):.2f}'
                      if len(values) > 1 else '')
            cells.append(f'{statistics.mean(values):.2f}{spread}')
        lines.append(f'| {method} | ' + ' | '.join(cells) + ' |')
    table = '\n'.join(lines)
    protocol = report['protocol']
    seeds = len(protocol['seeds'])
    text = f"""# Benchmarks

Generated by `python tools/benchmark/accuracy.py{' --quick' if report['quick'] else ''}`
in {report['hours']} hours on {platform.machine()} with {os.cpu_count()} CPU
cores, torch {torch.__version__}; the cost measurements are in
[benchmark_cost.md](benchmark_cost.md).

## Accuracy on Fashion-MNIST

Teacher: CIFAR-style ResNet-18 at a quarter width, trained
{protocol['teacher_epochs']} epochs on the full training set: test top-1
**{report['teacher']:.2f}**. Student: the same ResNet-18 at an eighth of the
width, from the same initial weights for every method (one set per seed). Every method trains the student
for {protocol['budget']} iterations of batch 128 (cosine learning rate);
SRM's stage 2 and FitNets' hint stage take the first half of that budget,
their KD stage the second. SRM's stage-1 dictionary is learnt once, on the
teacher and the full training set ({protocol['dictionary_iters']}
iterations), for every SRM run. KD everywhere: alpha 0.5, T 4. Low-data
regime: the first {LOW_DATA_FRACTION:.0%} of the training images (their order is
random) for the student, the same teacher.

Test top-1 (%), mean ± standard deviation over {seeds} seed{'s' if seeds > 1 else ''}:

{table}

![accuracy per method](benchmark_accuracy.png)

## SRM's dictionary

How often the teacher uses each atom of each matched point (the fraction of
the pixels of 2000 test images whose {'top-k'} codes keep it), and the
reconstruction error of stage 1:

![atom usage](srm_atom_usage.png)
![stage-1 reconstruction error](srm_reconstruction.png)
"""
    print(f'teacher top-1 {report["teacher"]:.2f}\n{table}')
    with open(osp.join(out, 'benchmarks.md'), 'w') as f:
        f.write(text)


if __name__ == '__main__':
    main()
