"""SRM against training alone, KD, AT and FitNets on Fashion-MNIST, compared
the paper's way, and SRM's ablations. Writes docs/benchmarks.md and its plots.

- Accounting: in each regime every method's final stage (the student alone,
  KD, AT + KD, FitNets' KD stage, SRM's stage 3) trains the same number of
  iterations from the same initial weights (one set per seed); SRM's stage 2
  and FitNets' hint stage come on top, and the report counts them.
- Selection: the last 5000 training images are a validation split, disjoint
  from every training subset; each method's hyper-parameters are chosen on
  it from a grid of the same size, on one seed. The test set scores each
  final model once.
- Statistics: paired seeds; SRM - student alone and SRM - KD per seed, with
  their mean and 95% interval.
- On request, beyond the comparison: SRM's ablations (each level of labels
  alone, the other pixel mode; ``--ablations``), and students of two other
  mmpretrain families with the chosen hyper-parameters, untuned, on
  Fashion-MNIST and on scikit-learn's digits (``--untuned``). Each reuses
  the comparison's runs and adds its own.

    python tools/benchmark/accuracy.py            # the paper's comparison
    python tools/benchmark/accuracy.py --quick    # a few minutes, a smoke run
    python tools/benchmark/accuracy.py --jobs 2   # two trainings at a time
    python tools/benchmark/accuracy.py --jobs 2 --ablations --untuned

With ``--jobs 2`` each training runs on one thread, two at a time: on 2
cores the student alone's grid of 4 (2% regime) trained 1.40x faster than
one two-thread training at a time. The runs that need the teacher come
first, costliest first, as soon as what they need has trained; the student
alone's (its grid, final stages, convergence check and ceiling) fill the
processes they leave idle, the teacher's training first of all. One thread
or two round differently, so a run's numbers differ slightly between the
two (within a seed's noise).

A rerun reuses finished runs (each one is a multi-stage run in
``--work-dir``), so the protocol can be completed over several runs.
"""
import argparse
import copy
import itertools
import json
import math
import multiprocessing
import os
import os.path as osp
import platform
import statistics
import subprocess
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

import matplotlib
import torch
from mmengine.config import Config
from mmengine.runner import Runner

import srm_mmrazor  # noqa: F401  (applies the stack fixes, registers modules)
from srm_mmrazor.engine import (MultiStageRunner, finished, logged_scalars,
                                read_summary)
from srm_mmrazor.utils import (read_weights, release_work_dirs,
                               save_checkpoint)

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
ANALYSIS_TOOL = osp.join(REPO, 'tools', 'analysis_tools',
                         'srm_dictionary.py')
CFG = osp.join(REPO, 'configs')
PAIR = 'resnet18-w16_resnet18-w8_1xb128_fashion-mnist'
TEACHER = f'{CFG}/vanilla/mmcls/resnet/resnet18-w16_1xb128_fashion-mnist.py'
STUDENT = f'{CFG}/vanilla/mmcls/resnet/resnet18-w8_1xb128_fashion-mnist.py'
KD = f'{CFG}/distill/mmcls/kd/kd_logits_{PAIR}.py'
AT = f'{CFG}/distill/mmcls/at/at_kd_{PAIR}.py'
HINT = f'{CFG}/distill/mmcls/fitnets/fitnets_hint_{PAIR}.py'
SRM = f'{CFG}/distill/mmcls/srm/srm_{PAIR}_stage{{}}.py'
# SRM's stage 2 with one of its two levels of labels (objective 'global':
# image level only; 'local': pixel level only)
SRM_LEVEL = {objective: f'{CFG}/distill/mmcls/srm/srm_{PAIR}_stage2_{level}'
             '-level.py' for objective, level in (('global', 'image'),
                                                 ('local', 'pixel'))}
PAIR_MODELS = f'{CFG}/_base_/models/resnet18_cifar_fashion-mnist.py'
SRM_POINTS = ('layer2', 'layer3', 'layer4', 'pooled')
AT_POINTS = ('layer2', 'layer3', 'layer4')
TRAIN_IMAGES = 60000
# A final stage that starts from pre-trained weights and a new classifier
# (SRM's stage 3, FitNets' KD stage) warms its learning rate up linearly
# from 1% over this fraction of its epochs: at the full rate from the first
# iteration, the new classifier's gradients can undo the pre-training
# (docs/srm_stage3_warmup.md)
WARMUP = 0.1
# A distillation iteration costs about this many of the student's alone
# (the teacher's forward; KD's 1000 iterations in the 2% regime took 7.4
# minutes, the student alone's 2.7): what orders the runs with --jobs
DISTILLATION_COST = 2.7

# Pairs no config of ours names, to check that SRM's defaults hold beyond the
# pair they were chosen on: the same teacher and stage-1 dictionary, students
# of two other mmpretrain families, each SRM point on the student's layer of
# the teacher point's stride (source, channels), the hyper-parameters chosen
# for the main pair (no tuning). MobileNetV3's BatchNorm momentum is torch's
# 0.1: with mmpretrain's 0.01 the running statistics of a run this short
# stay near their initial values and the student scores 12% in eval mode.
UNTUNED_PAIRS = {
    'ShuffleNetV2 1.0x': dict(
        backbone=dict(type='ShuffleNetV2', widen_factor=1.0,
                      out_indices=(3, )),
        points=dict(layer2=('backbone.conv1', 24),
                    layer3=('backbone.maxpool', 24),
                    layer4=('backbone.layers.0', 116),
                    pooled=('neck.gap', 1024))),
    'MobileNetV3-small': dict(
        backbone=dict(type='MobileNetV3', arch='small', out_indices=(12, ),
                      norm_cfg=dict(type='BN', eps=0.001, momentum=0.1)),
        points=dict(layer2=('backbone.layer0', 16),
                    layer3=('backbone.layer1', 16),
                    layer4=('backbone.layer3', 24),
                    pooled=('neck.gap', 576))),
}
UNTUNED_METHODS = ('student alone', 'KD', 'SRM')
# A second dataset for them, one that a package ships: scikit-learn's
# digits, 32x32 (the teacher and stage 1 are the main pair's configs on
# these images); the first 1000 training images train, the last 197
# validate. Every student stage there clips its gradient norm at 5: at the
# main pair's learning rate unclipped, every method's training of this
# student on 1000 images is unstable on some seeds
# (docs/srm_stage3_warmup.md).
DIGITS = dict(dataset=f'{CFG}/_base_/datasets/digits_bs128.py',
              train_images=1197, validation_images=197, teacher_images=None,
              teacher_epochs=30, dictionary_epochs=10,
              regimes={'digits': dict(images=1000, final_epochs=20,
                                      clip_grad=5.0)},
              pairs=('ShuffleNetV2 1.0x', ), test_images=None,
              methods=UNTUNED_METHODS)

# validation_images: the last ones of the training set; teacher_images:
# the teacher's and stage 1's (the first ones; None: all but the validation
# split); regimes: the student's images (the first ones), the length of
# every final stage there (epochs: mmengine's iteration loop pauses 2 s at
# each pass over the data), the methods compared there (None: all) and
# optionally clip_grad, the gradient-norm bound of every student stage there;
# grid_size: points of each method's grid (3 of 4: the protocol's 3 hours;
# a grid's last point won only SRM's grid, by 0.06 over its second, when
# the grids had 4); tuning: the regime and seed the
# grids are run on (SRM's ablations: that regime); ablations: the ones run
# (absent: all, as --ablations asks); untuned: the regime and final stages'
# length of UNTUNED_PAIRS, their seeds (5: SRM's gain there is small against
# the spread of its seeds) and the DIGITS protocol (None: not run; run only
# with --untuned); test_images: None for all. Each regime's
# final stages are meant to be as long as the student alone needs to
# converge there; the report's "Converged?" checks it on every seed against
# runs twice as long (on 2%, 50 epochs left it 2.5 points below its
# plateau; doubling 100 on 2% and 40 on 10% gained +0.41 each, paired over
# 3 seeds, with wide intervals: docs/benchmarks.md).
PROTOCOLS = dict(
    full=dict(validation_images=5000, teacher_images=None, teacher_epochs=6,
              dictionary_epochs=3,
              regimes={'10%': dict(images=6000, final_epochs=40,
                                   methods=('student alone', 'KD', 'SRM')),
                       '2%': dict(images=1200, final_epochs=100)},
              grid_size=3, seeds=(0, 1, 2), tuning=('2%', 0),
              ablations=(),
              untuned=dict(regime='2%', final_epochs=20,
                           seeds=(0, 1, 2, 3, 4), digits=DIGITS),
              test_images=None),
    quick=dict(validation_images=128, teacher_images=512, teacher_epochs=1,
               dictionary_epochs=1,
               regimes={'10%': dict(images=512, final_epochs=2)},
               grid_size=1, seeds=(0, 1), tuning=('10%', 0),
               ablations=('SRM, pixel level only', ), untuned=None,
               test_images=128),
)


def grids(size=4):
    """Each method's hyper-parameter grid, its first ``size`` points (equal
    effort; each grid lists first what matters most for that method).
    ``pretraining`` is the hint stage's or SRM stage 2's length, a fraction
    of the final stage's. FitNets' and SRM's KD stages take KD's chosen
    alpha and T."""
    return {method: grid[:size] for method, grid in {
        'student alone': product(weight_decay=(5e-4, 1e-4), lr=(0.1, 0.05)),
        'KD': product(tau=(4.0, 2.0), alpha=(0.5, 0.9)),
        'AT + KD': product(alpha=(0.5, 0.9), at_weight=(100.0, 1000.0)),
        'FitNets (hint, then KD)': product(hint_weight=(10.0, 1.0),
                                           pretraining=(0.25, 0.5)),
        'SRM': product(pixel_mode=('faithful', 'logits'),
                       pretraining=(0.25, 0.5)),
    }.items()}


def product(**values):
    """Every combination of ``values``, the first-listed parameter varying
    first."""
    return [dict(zip(values, reversed(point)))
            for point in itertools.product(*reversed(values.values()))]


def epochs(n, curve_points=5, warmup=False):
    """Train ``n`` epochs with a cosine learning rate (by iteration), with
    ``warmup`` warmed up linearly from 1% over the first WARMUP of them,
    validating ``curve_points`` times and saving at the end."""
    cosine = dict(type='CosineAnnealingLR', by_epoch=True, begin=0, end=n,
                  convert_to_iter_based=True)
    return {
        'train_cfg': dict(
            _delete_=True, type='EpochBasedTrainLoop', max_epochs=n,
            val_interval=max(1, n // curve_points)),
        'param_scheduler': ([
            dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0,
                 end=max(1, round(WARMUP * n)), convert_to_iter_based=True),
            cosine] if warmup else dict(cosine, _delete_=True)),
        'default_hooks.checkpoint.interval': n,
    }


def from_checkpoint(checkpoint, prefix=None):
    init = dict(type='Pretrained', checkpoint=checkpoint)
    return dict(init, prefix=prefix) if prefix else init


def kd_weights(alpha, tau):
    return {'model.distiller.distill_losses.loss_kd.loss_weight': alpha,
            'model.distiller.distill_losses.loss_kd.tau': tau,
            'model.architecture.head.loss.loss_weight': 1 - alpha}


def method_stages(method, params, final_epochs, init, teacher, dictionary,
                  kd, pair=None):
    """The stages of one method's multi-stage run and how many student
    epochs come before its final stage. ``init`` is the seed's initial
    student, ``teacher`` the teacher's checkpoint, ``dictionary`` SRM's
    stage-1 checkpoint, ``kd`` the chosen KD ``alpha`` and ``tau``, ``pair``
    one of UNTUNED_PAIRS (None: the configs' own student)."""

    def student(init_cfg, key='model.architecture'):
        if pair is None:
            return {f'{key}.init_cfg': init_cfg}
        return {key: dict(student_model(pair), _delete_=True,
                          init_cfg=init_cfg)}

    start = student(from_checkpoint(init))
    after = student(from_checkpoint(None, 'architecture.'))

    def distill(n, warmup=False, **options):
        return {**epochs(n, warmup=warmup), 'model.teacher_ckpt': teacher,
                **options}

    def then_kd(first, config, pretrain_epochs, **options):
        return {
            first: dict(config=config, cfg_options=distill(
                pretrain_epochs, **start, **options)),
            'final': dict(config=KD, cfg_options=distill(
                final_epochs, warmup=True, **after,
                **kd_weights(**kd)),
                handoff={'model.architecture.init_cfg.checkpoint': first})}

    if method == 'student alone':
        return dict(final=dict(config=STUDENT, cfg_options={
            **epochs(final_epochs),
            **student(from_checkpoint(init), key='model'),
            'optim_wrapper.optimizer.lr': params['lr'],
            'optim_wrapper.optimizer.weight_decay': params['weight_decay'],
        })), 0
    if method == 'KD':
        return dict(final=dict(config=KD, cfg_options=distill(
            final_epochs, **start, **kd_weights(params['alpha'],
                                               params['tau'])))), 0
    if method == 'AT + KD':
        at = {f'model.distiller.distill_losses.loss_at_{p}.loss_weight':
              params['at_weight'] for p in AT_POINTS}
        return dict(final=dict(config=AT, cfg_options=distill(
            final_epochs, **start, **at,
            **kd_weights(params['alpha'], kd['tau'])))), 0
    pretrain_epochs = max(1, round(params.get('pretraining', 0) *
                                   final_epochs))
    if method.startswith('FitNets'):
        hint = {f'model.distiller.distill_losses.loss_hint{i}.loss_weight':
                params['hint_weight'] for i in (3, 4)}
        return then_kd('hint', HINT, pretrain_epochs, **hint), pretrain_epochs
    if method.startswith('SRM'):
        srm = {'model.dictionary_ckpt': dictionary, **{
            f'model.distiller.heads.{p}.pixel_mode': params['pixel_mode']
            for p in SRM_POINTS}}
        for point, (source, channels) in (pair['points']
                                          if pair else {}).items():
            srm[f'model.distiller.student_recorders.{point}.source'] = source
            srm[f'model.distiller.heads.{point}.in_channels'] = channels
        stage2 = (SRM_LEVEL[params['objective']] if 'objective' in params
                  else SRM.format(2))
        stages = then_kd('intermediate', stage2, pretrain_epochs, **srm)
        stages['final']['config'] = SRM.format(3)
        return stages, pretrain_epochs
    raise ValueError(f'unknown method {method!r}')


def student_model(pair):
    """The classifier of an UNTUNED_PAIRS student: the configs' student with
    the pair's backbone."""
    model = Config.fromfile(PAIR_MODELS).student_model
    model.backbone = copy.deepcopy(pair['backbone'])
    model.head.in_channels = pair['points']['pooled'][1]
    return model.to_dict()


def ablations(srm):
    """SRM's ablations, each SRM's chosen parameters with one change: each
    level of labels alone (a stage-2 config of its own) and the other pixel
    mode."""
    other = other_pixel_mode(srm)
    return {
        'SRM, image level only': dict(srm, objective='global'),
        'SRM, pixel level only': dict(srm, objective='local'),
        f'SRM, {other} pixel mode': dict(srm, pixel_mode=other),
    }


def other_pixel_mode(srm):
    """The pixel mode that ``srm``'s parameters do not choose."""
    return 'logits' if srm['pixel_mode'] == 'faithful' else 'faithful'


def data_splits(protocol):
    """--cfg-options of the data: each regime's training images (the first
    ones), the validation split (the last ones, for every choice and the
    learning curves) and the test set (scored once per final model), of
    Fashion-MNIST or of the protocol's ``dataset`` config."""
    train_images = protocol.get('train_images', TRAIN_IMAGES)
    validation = range(train_images - protocol['validation_images'],
                       train_images)
    shared = {} if 'dataset' not in protocol else {
        key: dict(Config.fromfile(protocol['dataset'])[key].to_dict(),
                  _delete_=True)
        for key in ('data_preprocessor', 'train_dataloader', 'val_dataloader',
                    'test_dataloader')}
    shared.update({'val_dataloader.dataset.split': 'train',
                   'val_dataloader.dataset.indices': validation,
                   'test_dataloader.dataset.indices': protocol['test_images']})
    teacher = {**shared, 'train_dataloader.dataset.indices':
               protocol['teacher_images'] or validation.start}
    regimes = {regime: {**shared, 'train_dataloader.dataset.indices':
                        regime_cfg['images'], **clipped(regime_cfg)}
               for regime, regime_cfg in protocol['regimes'].items()}
    return teacher, regimes


def clipped(regime_cfg):
    """--cfg-options that bound every stage's gradient norm at the regime's
    ``clip_grad`` (none where it has none)."""
    if 'clip_grad' not in regime_cfg:
        return {}
    return {'optim_wrapper.clip_grad': dict(max_norm=regime_cfg['clip_grad'])}


def run(work_dir, stages, shared):
    """One multi-stage run; its summaries (finished runs are reused)."""
    cfg = Config(
        dict(stages=stages, stage_cfg_options=shared, work_dir=work_dir,
             resume=True))
    return MultiStageRunner(cfg).train()


def run_and_release(*args):
    """:func:`run` in a process of a pool, which then lets go of the run's
    folders (held until its process ends, that no other run trains there)
    for the next run and for reading this one."""
    try:
        return run(*args)
    finally:
        release_work_dirs()


def test_top1(work_dir, checkpoint):
    """Score ``checkpoint`` (of the stage in ``work_dir``) on the test set,
    once: the result is kept in ``work_dir``/test.json."""
    path = osp.join(work_dir, 'test.json')
    if not osp.isfile(path):
        cfg = Config.fromfile(read_summary(work_dir)['config'])
        cfg.work_dir = osp.join(work_dir, 'test')
        cfg.load_from = checkpoint
        metrics = Runner.from_cfg(cfg).test()
        with open(path, 'w') as f:
            json.dump(metrics, f)
    with open(path) as f:
        return json.load(f)['accuracy/top1']


def validation_curve(work_dir):
    """(epoch, validation top-1) of the stage in ``work_dir``."""
    return [(entry['step'], entry['accuracy/top1'])
            for entry in logged_scalars(read_summary(work_dir))
            if 'accuracy/top1' in entry]


def initial_student(path, seed, pair=None):
    """The seed's initial student weights, shared by every method."""
    if not osp.isfile(path):
        from mmrazor.registry import MODELS
        model = (student_model(pair) if pair
                 else Config.fromfile(PAIR_MODELS).student_model)
        torch.manual_seed(seed)
        student = MODELS.build(model)
        student.init_weights()
        save_checkpoint({'state_dict': student.state_dict()}, path,
                        then='run the benchmark again')
    return path


def paired(a, b):
    """Per-seed differences a - b (lists in seed order), their mean and the
    half-width of its 95% interval (Student's t; None for one seed)."""
    differences = [x - y for x, y in zip(a, b, strict=True)]
    n = len(differences)
    mean = statistics.mean(differences)
    if n < 2:
        return dict(differences=differences, mean=mean, interval=None)
    # t quantiles (0.975) for 1..9 degrees of freedom
    t = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262)
    half = t[n - 2] * statistics.stdev(differences) / n**0.5
    return dict(differences=differences, mean=mean, interval=half)


def convergence_check(finals, results, longer, protocol):
    """Per regime, the student alone's validation top-1 at the final
    stages' length (``results`` of the :meth:`Runs.final_calls` ``finals``)
    and at twice it (``longer``), per seed, and the paired differences."""
    check = {}
    for call, result, twice in zip(finals, results, longer, strict=True):
        regime = check.setdefault(call['regime'], dict(
            epochs=protocol['regimes'][call['regime']]['final_epochs'],
            length=[], twice=[]))
        regime['length'].append(result['validation'])
        regime['twice'].append(twice['validation'])
    for regime in check.values():
        regime['twice - length'] = paired(regime['twice'], regime['length'])
    return check


class Runs:
    """The runs of one protocol, in ``work``: each a multi-stage run in a
    folder named after what it trains, reused when asked for again (the
    tuning run of the chosen point is also that regime and seed's final
    run). The protocol's steps are chains (generators, see :meth:`drive`)
    that yield the runs they need next and are sent their stages'
    summaries."""

    def __init__(self, protocol, work, jobs=1):
        self.protocol = protocol
        self.work = work
        self.jobs = jobs
        self.teacher_data, self.regimes = data_splits(protocol)
        self.teacher = self.dictionary = None  # their summaries, once trained
        self.trained = {}  # run folder -> the summaries of its stages
        self.parts = {}  # run folder -> the part of PARTS it trained for
        # the final stages' test top-1, accounting and curves: regime ->
        # method -> ..., filled by score()
        self.results, self.accounting, self.curves = {}, {}, {}

    def drive(self, *chains):
        """Run the generators ``chains`` side by side; what each returns.

        A chain yields a list of jobs (multi-stage runs: ``work_dir``,
        ``stages``, ``shared`` and optionally ``cost``) and is sent the
        summaries of their stages once all have trained. Finished runs are
        read at once. With ``jobs`` > 1 the others train ``jobs`` at a time,
        each process on one thread (on 2 cores, two one-thread trainings do
        1.4x the work of one two-thread training; two two-thread trainings
        thrash): a free process takes the costliest ready job of the first
        chain that has one, so a chain is never held up by the ones after
        it, which fill the processes it leaves idle, and the last jobs to
        start are short ones."""
        returned, received, ready = {}, {}, []
        # each training run's future -> its folder; folder -> the chains'
        # places that wait for it
        training, waiting = {}, {}

        def advance(index, sent):
            while True:
                try:
                    jobs = chains[index].send(sent)
                except StopIteration as stop:
                    returned[index] = stop.value
                    return
                received[index] = [None] * len(jobs)
                for position, job in enumerate(jobs):
                    last_stage = list(job['stages'])[-1]
                    if self.jobs == 1 or finished(
                            osp.join(job['work_dir'], last_stage)):
                        received[index][position] = run(
                            job['work_dir'], job['stages'], job['shared'])
                    else:
                        ready.append((index, -job.get('cost', 0), position,
                                      job))
                if None in received[index]:
                    return
                sent = received.pop(index)

        pool = ProcessPoolExecutor(
            self.jobs, mp_context=multiprocessing.get_context('spawn'),
            initializer=torch.set_num_threads,
            initargs=(1, )) if self.jobs > 1 else None
        try:
            for index in range(len(chains)):
                advance(index, None)
            while ready or training:
                ready.sort(key=lambda item: item[:2])
                while ready and len(training) < self.jobs:
                    index, _, position, job = ready.pop(0)
                    if job['work_dir'] not in waiting:  # else: trained once
                        training[pool.submit(run_and_release,
                                             job['work_dir'],
                                             job['stages'],
                                             job['shared'])] = job['work_dir']
                    waiting.setdefault(job['work_dir'], []).append(
                        (index, position))
                for future in wait(training, return_when=FIRST_COMPLETED)[0]:
                    summaries = future.result()  # a failed run stops all
                    for index, position in waiting.pop(training.pop(future)):
                        received[index][position] = summaries
                        if None not in received[index]:
                            advance(index, received.pop(index))
        finally:
            if pool:
                pool.shutdown(cancel_futures=True)
        return [returned[index] for index in range(len(chains))]

    def comparison(self):
        """The paper's comparison, in two chains side by side: the teacher's
        (the teacher, SRM's dictionary, the distillation methods' grids and
        final stages) and the student alone's (its grid and final stages,
        the convergence check and the regimes' ceiling: none needs the
        teacher). The chosen and the searched points of every method (the
        final stages' results are in ``results``, ``accounting`` and
        ``curves``), the convergence check and the ceiling's summary."""
        (chosen, searched), (alone, alone_searched, convergence,
                             student) = self.drive(self.distillation(),
                                                   self.alone())
        chosen = dict(alone, **chosen)
        searched = dict(alone_searched, **searched)
        order = [m for m in list(grids()) + list(ablations(chosen['SRM']))
                 if m in chosen]
        for table in (self.results, self.accounting, self.curves):
            for regime, methods in table.items():
                table[regime] = {m: methods[m] for m in order if m in methods}
        return ({m: chosen[m] for m in order},
                {m: searched[m] for m in grids()}, convergence, student)

    def distillation(self):
        """The chain of the runs that need the teacher: the teacher and SRM's
        dictionary; KD's grid; the other methods' grids (their KD stages
        take KD's choice) beside KD's final stages; their final stages."""
        yield from self.teacher_and_dictionary()
        chosen, searched, _ = yield from self.tune(['KD'],
                                                   dict(alpha=0.5, tau=4.0))
        kd = chosen['KD']
        kd_finals = self.final_calls(chosen, kd)
        others = [m for m in grids() if m not in ('student alone', 'KD')]
        more_chosen, more_searched, results = yield from self.tune(
            others, kd, also=kd_finals)
        self.score(kd_finals, results)
        chosen.update(more_chosen)
        searched.update(more_searched)
        chosen.update({name: params
                       for name, params in ablations(chosen['SRM']).items()
                       if name in self.protocol.get('ablations', [name])})
        finals = self.final_calls(
            {m: p for m, p in chosen.items() if m != 'KD'}, kd)
        results, _ = yield from self.train_chain(finals)
        self.score(finals, results)
        return chosen, searched

    def alone(self):
        """The chain of the student alone: its grid; then its final stages,
        each twice as long too (every seed: is the regime's length near the
        plateau?), and the student trained like the teacher (the regimes'
        ceiling)."""
        chosen, searched, _ = yield from self.tune(['student alone'], None)
        finals = self.final_calls(chosen, None)
        regimes = self.protocol['regimes']
        twice = [dict(call, part='convergence',
                      final_epochs=2 * regimes[call['regime']]['final_epochs'])
                 for call in finals]
        ceiling = self.like_the_teacher_job('student', STUDENT)
        results, [student] = yield from self.train_chain(
            finals + twice, [ceiling])
        self.score(finals, results[:len(finals)])
        self.record(ceiling, student, 'student')
        return chosen, searched, convergence_check(
            finals, results[:len(finals)], results[len(finals):],
            self.protocol), student[0]

    def teacher_and_dictionary(self):
        """A chain: the teacher, then SRM's stage-1 dictionary of it."""
        teacher = self.like_the_teacher_job('teacher', TEACHER)
        [summaries] = yield [teacher]
        self.teacher = self.record(teacher, summaries, 'teacher')[0]
        dictionary = dict(
            work_dir=f'{self.work}/dictionary', shared=self.teacher_data,
            stages=dict(dictionary=dict(config=SRM.format(1), cfg_options={
                'train_cfg.max_epochs': self.protocol['dictionary_epochs'],
                'param_scheduler.end': self.protocol['dictionary_epochs'],
                'model.teacher_ckpt': self.teacher['checkpoint']})))
        [summaries] = yield [dictionary]
        self.dictionary = self.record(dictionary, summaries, 'dictionary')[0]

    def like_the_teacher_job(self, name, config):
        """The classifier of ``config`` trained alone as the teacher is (its
        epochs, on its images): the longest of the runs."""
        return dict(
            work_dir=f'{self.work}/{name}', shared=self.teacher_data,
            cost=math.inf, stages={name: dict(config=config, cfg_options={
                'train_cfg.max_epochs': self.protocol['teacher_epochs'],
                'param_scheduler.end': self.protocol['teacher_epochs']})})

    def record(self, job, summaries, part):
        """Keep the ``summaries`` of ``job``'s stages and the part of PARTS
        it first trained for (one of SRM's ablations and a student of
        UNTUNED_PAIRS: 'extras'); the summaries."""
        self.parts.setdefault(job['work_dir'],
                              'extras' if job.get('extra') else part)
        self.trained[job['work_dir']] = summaries
        return summaries

    def tune(self, methods, kd, also=()):
        """A chain: each of ``methods``' grid on the validation split (the
        tuning regime and seed, KD stages with ``kd``), trained beside the
        :meth:`train` calls ``also``; the chosen and the searched points,
        and the results of ``also``."""
        regime, seed = self.protocol['tuning']
        every_grid = grids(self.protocol['grid_size'])
        points = [(method, params) for method in methods
                  for params in every_grid[method]]
        results, _ = yield from self.train_chain([
            dict(method=method, params=params, regime=regime, seed=seed,
                 kd=kd, part='grids') for method, params in points
        ] + list(also))
        searched = {}
        for (method, params), result in zip(points, results):
            searched.setdefault(method, []).append(
                dict(params=params, validation=result['validation']))
        chosen = {method: max(searched[method],
                              key=lambda s: s['validation'])['params']
                  for method in methods}
        return chosen, searched, results[len(points):]

    def final_calls(self, chosen, kd):
        """The :meth:`train` calls of each chosen method's final stages in
        each regime and seed (the tuning regime first)."""
        tuning_first = sorted(self.regimes,
                              key=lambda r: r != self.protocol['tuning'][0])
        return [
            dict(method=method, params=chosen[method], regime=regime,
                 seed=seed, kd=kd, part='final stages')
            for regime, seed in itertools.product(tuning_first,
                                                  self.protocol['seeds'])
            for method in final_methods(chosen,
                                        self.protocol['regimes'][regime],
                                        (regime, seed),
                                        self.protocol['tuning'])]

    def score(self, finals, results):
        """Score the final stages ``finals`` (:meth:`final_calls`, trained:
        ``results``) on the test set, once, into ``results``,
        ``accounting`` and ``curves``."""
        for call, result in zip(finals, results, strict=True):
            regime, seed, method = call['regime'], call['seed'], call['method']
            top1 = test_top1(result['work_dir'], result['checkpoint'])
            self.results.setdefault(regime, {}).setdefault(method,
                                                           []).append(top1)
            spent = self.accounting.setdefault(regime, {}).setdefault(
                method, dict(final_iters=result['final_iters'],
                             pretrain_iters=result['pretrain_iters'],
                             seconds=[]))
            spent['seconds'].append(result['seconds'])
            if seed == self.protocol['seeds'][0]:
                self.curves.setdefault(regime, {})[method] = (
                    validation_curve(result['work_dir']))

    def train_chain(self, calls, jobs=()):
        """A chain: :meth:`train` for each of ``calls`` (its keyword
        arguments), beside the other ``jobs``; the results of ``calls`` and
        the summaries of ``jobs``."""
        train_jobs = [self._job(**call) for call in calls]
        summaries = yield train_jobs + list(jobs)
        return ([self._finish(job, s)
                 for job, s in zip(train_jobs, summaries)],
                summaries[len(train_jobs):])

    def train(self, method, params, regime, seed, kd, final_epochs=None,
              pair=None, part='final stages'):
        """Train one method (its final stage ``final_epochs`` long, by
        default the regime's; the student of UNTUNED_PAIRS[pair], by default
        the configs') for ``part`` of PARTS; its final stage's work dir and
        checkpoint, the student iterations in it and before it, and the
        seconds of all stages."""
        return self.train_all([dict(
            method=method, params=params, regime=regime, seed=seed, kd=kd,
            final_epochs=final_epochs, pair=pair, part=part)])[0]

    def train_all(self, calls):
        """:meth:`train` for each of ``calls`` (its keyword arguments)."""
        return self.drive(self.train_chain(calls))[0][0]

    def _finish(self, job, summaries):
        """What :meth:`train` returns of ``job`` and its stages'
        ``summaries``."""
        self.record(job, summaries, job['part'])
        return dict(work_dir=f'{job["work_dir"]}/final',
                    checkpoint=summaries[-1]['checkpoint'],
                    start=(summaries[0]['checkpoint'], 'architecture.')
                    if len(summaries) > 1 else (job['init'], ''),
                    validation=summaries[-1]['metrics']['accuracy/top1'],
                    final_iters=job['final_iters'],
                    pretrain_iters=job['pretrain_iters'],
                    seconds=sum(s['seconds'] for s in summaries))

    def _job(self, method, params, regime, seed, kd, final_epochs=None,
             pair=None, part='final stages'):
        """What :meth:`train` runs: the multi-stage run's folder, stages and
        shared options, the seed's initial student, the student iterations
        of the final stage and before it, what it costs (student iterations,
        a distillation's counted DISTILLATION_COST times), the part of PARTS
        it trains for and whether only the extras ask for it (one of SRM's
        ablations, a student of UNTUNED_PAIRS)."""
        work = f'{self.work}/{slug(pair)}' if pair else self.work
        init = initial_student(f'{work}/student_init_seed{seed}.pth', seed,
                               UNTUNED_PAIRS.get(pair))
        regime_cfg = self.protocol['regimes'][regime]
        final_epochs = final_epochs or regime_cfg['final_epochs']
        stages, pretrain_epochs = method_stages(
            method, params, final_epochs, init,
            self.teacher and self.teacher['checkpoint'],
            self.dictionary and self.dictionary['checkpoint'], kd,
            UNTUNED_PAIRS.get(pair))
        clip = (f'_clip{regime_cfg["clip_grad"]:g}'
                if 'clip_grad' in regime_cfg else '')
        iters = iters_per_epoch(regime_cfg)
        return dict(
            work_dir=(f'{work}/{slug(regime)}_{final_epochs}_epochs{clip}/'
                      f'seed{seed}/{run_name(method, params, kd)}'),
            stages=stages, init=init,
            shared={**self.regimes[regime], 'randomness.seed': seed},
            final_iters=final_epochs * iters,
            pretrain_iters=pretrain_epochs * iters,
            cost=(final_epochs + pretrain_epochs) * iters * (
                1 if method == 'student alone' else DISTILLATION_COST),
            part=part, extra=method.startswith('SRM,') or pair is not None)

    def srm_stage2_statistics(self, chosen):
        """The statistics of the chosen SRM's stage-2 checkpoint (tuning
        regime and seed) on test images, by
        tools/analysis_tools/srm_dictionary.py: how often the student's
        pixel predictions agree with the teacher's labels."""
        regime, seed = self.protocol['tuning']
        final = self.train('SRM', chosen['SRM'], regime, seed, chosen['KD'])
        stage2 = read_summary(
            osp.join(osp.dirname(final['work_dir']), 'intermediate'))
        out = osp.join(self.work, 'analysis_stage2')
        subprocess.run([
            sys.executable, ANALYSIS_TOOL, stage2['config'],
            stage2['checkpoint'],
            '--images', str(self.protocol['test_images'] or 2000), '--out',
            out, '--cfg-options', 'train_dataloader.dataset.split=test'
        ], check=True)
        with open(osp.join(out, 'srm_statistics.json')) as f:
            return json.load(f)['points']

    def untuned(self, chosen, pairs, regime, final_epochs, seeds, methods):
        """The students of ``pairs`` (of UNTUNED_PAIRS) with ``methods``
        and the chosen hyper-parameters, each seed: per
        pair and method the test top-1, the validation top-1 at the first
        point of the final stage's curve and the norm of the student's
        convolution weights where its final stage starts."""
        measured = {}
        calls = [dict(method=method, params=chosen[method], regime=regime,
                      seed=seed, kd=chosen['KD'], final_epochs=final_epochs,
                      pair=pair, part='extras')
                 for pair, seed, method in itertools.product(pairs, seeds,
                                                             methods)]
        for call, result in zip(calls, self.train_all(calls)):
            pair, method = call['pair'], call['method']
            values = measured.setdefault(pair, {}).setdefault(
                method, dict(top1=[], early=[], start_norm=[]))
            values['top1'].append(test_top1(result['work_dir'],
                                            result['checkpoint']))
            values['early'].append(validation_curve(result['work_dir'])[0][1])
            values['start_norm'].append(conv_weight_norm(*result['start']))
        return measured


# What the runs of a protocol train for, as its report names them
PARTS = {
    'teacher': 'the teacher',
    'dictionary': "SRM's stage-1 dictionary",
    'grids': 'the grids (their chosen points: the final stages of the '
    'tuning regime and seed)',
    'final stages': 'the other final stages',
    'convergence': 'the student alone twice as long',
    'student': "the student alone on the teacher's images",
    'extras': 'the extras (--ablations, --untuned)',
}


def training_hours(runs):
    """The hours the stages of ``runs`` (each a list of stage summaries)
    trained: summed over the stages, and by the clock (the time during which
    at least one of them trained; less with --jobs 2)."""
    stages = [summary for summaries in runs for summary in summaries]
    wall, last_end = 0.0, -math.inf
    for start, end in sorted((s['finished'] - s['seconds'], s['finished'])
                             for s in stages):
        wall += max(0.0, end - max(start, last_end))
        last_end = max(last_end, end)
    return dict(hours=sum(s['seconds'] for s in stages) / 3600,
                wall_hours=wall / 3600)


def hours_by_part(runs):
    """Per part of PARTS that trained runs (of ``runs``, a :class:`Runs`):
    their number and :func:`training_hours`."""
    parts = {}
    for run, summaries in runs.trained.items():
        parts.setdefault(runs.parts[run], []).append(summaries)
    return {part: dict(runs=len(parts[part]), **training_hours(parts[part]))
            for part in PARTS if part in parts}


def conv_weight_norm(checkpoint, prefix=''):
    """The norm of all the student's convolution weights in ``checkpoint``
    (under ``prefix``)."""
    weights = read_weights(checkpoint, prefix)
    return math.sqrt(sum(w.double().pow(2).sum().item()
                         for w in weights.values() if w.dim() == 4))


def iters_per_epoch(regime_cfg, batch_size=128):
    return math.ceil(regime_cfg['images'] / batch_size)


def final_methods(chosen, regime_cfg, regime_and_seed, tuning):
    """The methods trained to the end in one regime and seed: the regime's
    (by default every chosen one), SRM's ablations only in the regime of the
    tuning (on every seed, paired with SRM)."""
    ablation = [method for method in chosen if method.startswith('SRM,')]
    methods = regime_cfg.get('methods') or [
        method for method in chosen if method not in ablation]
    return [method for method in chosen if method in methods
            or method in ablation and regime_and_seed[0] == tuning[0]]


def run_name(method, params, kd):
    """A folder name for ``method`` trained with ``params`` (and the KD
    ``alpha`` and ``tau`` its KD stage takes where ``params`` has none). A
    variant of SRM ("SRM, pixel level only") is SRM with other parameters:
    its runs are SRM's runs with those."""
    used = params if method in ('student alone', 'KD') else {**kd, **params}
    family = 'SRM' if method.startswith('SRM') else method
    return slug(family) + '/' + slug(
        ', '.join(f'{k} {v}' for k, v in used.items()))


def slug(text):
    """A folder name for ``text``."""
    return ''.join(c if c.isalnum() or c in '.-' else '_'
                   for c in text).strip('_')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='tiny budgets, two seeds: minutes, not hours')
    parser.add_argument('--work-dir', default='work_dirs/benchmark')
    parser.add_argument(
        '--jobs', type=int, default=1,
        help='trainings at a time, each on one thread (on 2 cores, 2: '
        '1.4x the throughput of one two-thread training at a time)')
    parser.add_argument(
        '--out',
        help='folder of the report and the plots (default: docs/, or the '
        'work dir with --quick)')
    parser.add_argument(
        '--ablations', action='store_true',
        help="also SRM's ablations, on every seed of the tuning regime")
    parser.add_argument(
        '--untuned', action='store_true',
        help='also the students no config names (UNTUNED_PAIRS), on '
        "Fashion-MNIST and on scikit-learn's digits")
    args = parser.parse_args()
    protocol = copy.deepcopy(PROTOCOLS['quick' if args.quick else 'full'])
    if args.ablations:
        del protocol['ablations']  # absent: every one
    if not args.untuned:
        protocol['untuned'] = None
    work = osp.abspath(args.work_dir)
    os.makedirs(work, exist_ok=True)

    runs = Runs(protocol, work, args.jobs)
    chosen, searched, convergence, student = runs.comparison()
    results = runs.results
    untuned = untuned_results(runs, chosen)
    stage2_statistics = runs.srm_stage2_statistics(chosen)
    comparisons = {
        regime: {f'{a} - {b}': paired(methods[a], methods[b])
                 for a, b in [('SRM', 'student alone'), ('SRM', 'KD')] + [
                     (ablation, 'SRM') for ablation in methods
                     if ablation.startswith('SRM,')]}
        for regime, methods in results.items()
    }
    report = dict(
        protocol=protocol,
        teacher=test_top1(f'{work}/teacher/teacher',
                          runs.teacher['checkpoint']),
        chosen=chosen, searched=searched, results=results,
        accounting=runs.accounting, comparisons=comparisons,
        curves=runs.curves,
        convergence=convergence, stage2_statistics=stage2_statistics,
        student_on_teacher_images=test_top1(f'{work}/student/student',
                                            student['checkpoint']),
        untuned=untuned,
        comparison_hours=training_hours(
            summaries for run, summaries in runs.trained.items()
            if runs.parts[run] != 'extras'),
        hours_by_part=hours_by_part(runs),
        **training_hours(runs.trained.values()),
        dictionary_work_dir=f'{work}/dictionary/dictionary',
        dictionary_checkpoint=runs.dictionary['checkpoint'],
        teacher_checkpoint=runs.teacher['checkpoint'],
        command=' '.join(['python tools/benchmark/accuracy.py'] + [
            f'--{flag}' for flag in ('quick', 'ablations', 'untuned')
            if getattr(args, flag)] + (
                [f'--jobs {args.jobs}'] if args.jobs > 1 else [])))
    with open(osp.join(work, 'results.json'), 'w') as f:
        json.dump(report, f, indent=2)
    out = args.out or (work if args.quick else osp.join(REPO, 'docs'))
    os.makedirs(out, exist_ok=True)
    write_report(report, out)


def untuned_results(runs, chosen):
    """UNTUNED_PAIRS on Fashion-MNIST (in the regime of the protocol's
    ``untuned``) and on DIGITS (with its own teacher and dictionary): per
    pair its data, the teacher's test top-1, what :meth:`Runs.untuned`
    measured and the paired differences. Besides the chosen parameters,
    SRM runs with the other pixel mode: a pixel mode chosen on one pair need
    not hold on another."""
    setting = runs.protocol['untuned']
    if not setting:
        return {}
    srm_variant = f'SRM, {other_pixel_mode(chosen["SRM"])} pixel mode'
    experiments = {'Fashion-MNIST': (runs, setting['regime'],
                                     setting['final_epochs'], UNTUNED_PAIRS,
                                     UNTUNED_METHODS)}
    if setting['digits']:
        digits = Runs(dict(setting['digits'], seeds=setting['seeds']),
                      f'{runs.work}/digits', runs.jobs)
        digits.drive(digits.teacher_and_dictionary())
        experiments['digits'] = (
            digits, 'digits',
            setting['digits']['regimes']['digits']['final_epochs'],
            setting['digits']['pairs'], setting['digits']['methods'])
    results = {}
    for dataset, (dataset_runs, regime, final_epochs, pairs,
                  methods) in experiments.items():
        teacher = test_top1(f'{dataset_runs.work}/teacher/teacher',
                            dataset_runs.teacher['checkpoint'])
        for pair, measured in dataset_runs.untuned(
                chosen, pairs, regime, final_epochs, setting['seeds'],
                methods + (srm_variant, )).items():
            results[f'{dataset}, ResNet-18 w16 -> {pair}'] = dict(
                dataset=dataset, pair=pair, teacher=teacher,
                images=dataset_runs.protocol['regimes'][regime]['images'],
                final_epochs=final_epochs, methods=measured, comparisons={
                    f'{a} - {b}': paired(measured[a]['top1'],
                                         measured[b]['top1'])
                    for a in ('SRM', srm_variant)
                    for b in ('student alone', 'KD')})
    if 'digits' in experiments:
        for run, summaries in experiments['digits'][0].trained.items():
            runs.trained[f'digits: {run}'] = summaries
            runs.parts[f'digits: {run}'] = 'extras'
    return results


def paired_cells(c):
    """The per-seed, mean and 95% interval cells of the paired differences
    ``c`` (see :func:`paired`)."""
    interval = (f'[{c["mean"] - c["interval"]:+.2f}, '
                f'{c["mean"] + c["interval"]:+.2f}]'
                if c['interval'] is not None else 'n/a')
    return (', '.join(f'{d:+.2f}' for d in c['differences'])
            + f' | {c["mean"]:+.2f} | {interval}')


def paired_lines(comparisons):
    """A table of paired differences (see :func:`paired`)."""
    return ['| paired | per seed | mean | 95% interval |',
            '| --- | --- | --- | --- |'] + [
        f'| {name} | {paired_cells(c)} |' for name, c in comparisons.items()]


def untuned_section(report):
    """The report on UNTUNED_PAIRS (empty where the protocol runs none)."""
    if not report['untuned']:
        return ''
    tables = []
    for name, experiment in report['untuned'].items():
        first = max(1, experiment['final_epochs'] // 5)
        lines = ['| method | test top-1 (%) | per seed | validation top-1 '
                 f'after {first} epochs of the final stage | norm of the '
                 "student's conv weights where the final stage starts |",
                 '| --- | --- | --- | --- | --- |']
        for method, m in experiment['methods'].items():
            lines.append(
                f'| {method} | {statistics.mean(m["top1"]):.2f} | '
                + ', '.join(f'{v:.2f}' for v in m['top1']) + ' | '
                + ', '.join(f'{v:.1f}' for v in m['early']) + ' | '
                + ', '.join(f'{v:.0f}' for v in m['start_norm']) + ' |')
        tables.append(
            f'### {name}\n\n{experiment["images"]} training images, every '
            f'final stage {experiment["final_epochs"]} epochs; the '
            f'teacher: test top-1 {experiment["teacher"]:.2f}.\n\n'
            + '\n'.join(lines + [''] + paired_lines(
                experiment['comparisons'])))
    points = '; '.join(
        f'{pair}: ' + ', '.join(f'{point} `{source}` ({channels} channels)'
                                for point, (source, channels)
                                in points.items())
        for pair, points in {e['pair']: UNTUNED_PAIRS[e['pair']]['points']
                             for e in report['untuned'].values()}.items())
    return f"""## Students no config names

Whether SRM's defaults hold beyond the pair they were chosen on: the same
teacher (a CIFAR-style ResNet-18 w16), students of two other mmpretrain
families (built by `tools/benchmark/accuracy.py`, UNTUNED_PAIRS), the
hyper-parameters chosen above, no tuning; on Fashion-MNIST (the teacher and
dictionary above){digits_text(report)}. Every final stage from the same
initial weights, SRM's stage 2 on top, its stage 3 warmed up as above (why:
[srm_stage3_warmup.md](srm_stage3_warmup.md));
{len(report['protocol']['untuned']['seeds'])} paired seeds. The student points,
on the layers of the teacher points' strides: {points}. SRM runs with the
pixel mode chosen above and with the other one (a choice made on one pair
need not hold on another).

{(2 * chr(10)).join(tables)}
"""


def digits_text(report):
    """Where the report has runs on DIGITS, what they are."""
    if not any(e['dataset'] == 'digits' for e in report['untuned'].values()):
        return ''
    digits = report['protocol']['untuned']['digits']  # what ran
    return (" and on scikit-learn's digits enlarged to 32x32 "
            "(`configs/_base_/datasets/digits_bs128.py`; a teacher and a "
            f"dictionary of their own, {digits['teacher_epochs']} and "
            f"{digits['dictionary_epochs']} epochs, the last "
            f"{digits['validation_images']} training images for the curves, "
            'the 600 test images scored once; every student stage of every '
            'method clips its gradient norm at '
            f"{digits['regimes']['digits']['clip_grad']:g}, without which "
            'every method is unstable there on some seeds: '
            '[srm_stage3_warmup.md](srm_stage3_warmup.md))')


def plot_accuracy(report: dict, path: str) -> None:
    """Mean test top-1 (bars) and each seed (dots) per method and regime."""
    regimes = list(report['protocol']['regimes'])
    fig, axes = plt.subplots(1, len(regimes), figsize=(6 * len(regimes), 4.5),
                             squeeze=False)
    for ax, regime in zip(axes[0], regimes):
        methods = list(report['results'][regime])
        runs = [report['results'][regime][m] for m in methods]
        ax.barh(range(len(methods)), [statistics.mean(r) for r in runs],
                color=['#999999' if 'SRM' not in m else '#1f77b4'
                       for m in methods])
        for row, values in enumerate(runs):
            ax.plot(values, [row] * len(values), 'k.', markersize=4)
        ax.axvline(report['teacher'], color='#d62728', linestyle='--',
                   label=f'teacher {report["teacher"]:.2f}')
        ax.set_yticks(range(len(methods)), methods)
        ax.invert_yaxis()
        ax.set_title(regime)
        ax.set_xlabel('Fashion-MNIST test top-1 (%)')
        low = min(min(r) for r in runs)
        ax.set_xlim(max(0, low - 5), max(report['teacher'], low) + 2)
        ax.legend(loc='lower right')
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_curves(report: dict, path: str) -> None:
    """Validation top-1 over each method's final stage (the first seed)."""
    regimes = list(report['protocol']['regimes'])
    fig, axes = plt.subplots(1, len(regimes), figsize=(6 * len(regimes), 4.5),
                             squeeze=False)
    for ax, regime in zip(axes[0], regimes):
        for method, curve in report['curves'][regime].items():
            steps, top1 = zip(*curve)
            ax.plot(steps, top1, marker='.', label=method,
                    linestyle='-' if 'SRM' in method else '--')
        ax.set_title(regime)
        ax.set_xlabel('epoch of the final stage')
        ax.set_ylabel('validation top-1 (%)')
        ax.legend(fontsize='small')
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_dictionary(report: dict, out: str) -> None:
    """Per matched point: how often the teacher uses each atom on 2000 test
    images, their statistics and the reconstruction error over stage 1 (by
    tools/analysis_tools/srm_dictionary.py)."""
    stage1 = read_summary(report['dictionary_work_dir'])
    subprocess.run([
        sys.executable, ANALYSIS_TOOL, stage1['config'],
        stage1['checkpoint'], '--images', '2000', '--out', out
    ], check=True)


def hours_text(report):
    """How long the report's runs trained: the comparison's, and all of
    them where the extras (--ablations, --untuned) added runs."""
    comparison = report['comparison_hours']
    text = (f"{{}} train for {comparison['hours']:.2f} hours in all, "
            f"{comparison['wall_hours']:.2f} hours by the clock (less where "
            'runs trained side by side)')
    if 'extras' not in report['hours_by_part']:
        return text.format('its runs')
    return (text.format("the comparison's runs") + '; with the runs of the '
            f"extras, {report['hours']:.2f} and {report['wall_hours']:.2f} "
            'hours')


def write_report(report, out):
    plot_accuracy(report, osp.join(out, 'benchmark_accuracy.png'))
    plot_curves(report, osp.join(out, 'benchmark_curves.png'))
    plot_dictionary(report, out)
    protocol = report['protocol']
    sections = []
    for regime in protocol['regimes']:
        methods = report['results'][regime]
        lines = ['| method | student iterations (final + before) | wall time '
                 '(min, mean) | test top-1 (%) | per seed |',
                 '| --- | --- | --- | --- | --- |']
        for method, values in methods.items():
            spent = report['accounting'][regime][method]
            spread = (f' ± {statistics.stdev(values):.2f}'
                      if len(values) > 1 else '')
            lines.append(
                f'| {method} | {spent["final_iters"]} + '
                f'{spent["pretrain_iters"]} | '
                f'{statistics.mean(spent["seconds"]) / 60:.1f} | '
                f'{statistics.mean(values):.2f}{spread} | '
                + ', '.join(f'{v:.2f}' for v in values) + ' |')
        lines += [''] + paired_lines(report['comparisons'][regime])
        regime_cfg = protocol['regimes'][regime]
        sections.append(f'### {regime} of the training images '
                        f'({regime_cfg["images"]} images, final stages of '
                        f'{regime_cfg["final_epochs"]} epochs)\n\n'
                        + '\n'.join(lines))
    convergence_lines = [
        "| regime | validation top-1 at the final stages' length | at twice "
        'it | twice - length, per seed | mean | 95% interval |',
        '| --- | --- | --- | --- | --- | --- |'] + [
        f'| {regime} | {statistics.mean(check["length"]):.2f} '
        f'({check["epochs"]} epochs) | {statistics.mean(check["twice"]):.2f} '
        f'({2 * check["epochs"]} epochs) | '
        f'{paired_cells(check["twice - length"])} |'
        for regime, check in report['convergence'].items()]
    time_lines = ['| part | runs | hours of training | hours by the clock |',
                  '| --- | --- | --- | --- |'] + [
        f'| {PARTS[part]} | {spent["runs"]} | {spent["hours"]:.2f} | '
        f'{spent["wall_hours"]:.2f} |'
        for part, spent in report['hours_by_part'].items()]
    grid_lines = ['| method | grid (validation top-1) | chosen |',
                  '| --- | --- | --- |']
    for method, scores in report['searched'].items():
        grid = '; '.join(
            ', '.join(f'{k} {v}' for k, v in s['params'].items())
            + f': {s["validation"]:.2f}' for s in scores)
        chosen = ', '.join(f'{k} {v}'
                           for k, v in report['chosen'][method].items())
        grid_lines.append(f'| {method} | {grid} | {chosen} |')
    seeds = len(protocol['seeds'])
    tuning_regime, tuning_seed = protocol['tuning']
    with open(osp.join(out, 'srm_statistics.json')) as f:
        dictionary = json.load(f)['points']
    dictionary_lines = [
        '| point | atoms used / K | reconstruction MSE | image-label entropy '
        '| pixel-label entropy | stage-2 student agrees |',
        '| --- | --- | --- | --- | --- | --- |'] + [
        f'| {point} | {s["atoms_used"]} / {s["num_codewords"]} | '
        f'{s["reconstruction_mse"]:.4f} | {s["image_label_entropy"]:.2f} | '
        f'{s["pixel_label_entropy"]:.2f} of {s["max_entropy"]:.0f} | '
        f'{100 * report["stage2_statistics"][point]["agreement"]:.1f}% |'
        for point, s in dictionary.items()]
    text = f"""# Benchmarks

Generated by `{report['command']}`;
{hours_text(report)}, on {platform.machine()} with {os.cpu_count()} CPU
cores, torch {torch.__version__}. The cost measurements are in
[benchmark_cost.md](benchmark_cost.md).

## Accuracy on Fashion-MNIST, the paper's way

Teacher: CIFAR-style ResNet-18 at a quarter width, trained
{protocol['teacher_epochs']} epochs on the training images outside the
validation split: test top-1 **{report['teacher']:.2f}**. Student: the same
ResNet-18 at an eighth of the width, from the same initial weights for every
method (one set per seed). In each regime every method's final stage trains
the student for the same number of iterations of batch 128 (cosine
learning rate; SRM's stage 3 and FitNets' KD stage, which start from
pre-trained weights and a new classifier, warm it up from 1% over their
first {WARMUP:.0%}: [srm_stage3_warmup.md](srm_stage3_warmup.md)); SRM's
stage 2 and FitNets' hint stage come on top, and their iterations are
counted beside the accuracy. SRM's stage-1 dictionary is
learnt once, {protocol['dictionary_epochs']} epochs on the teacher. Every
choice is made on a validation split, the last
{protocol['validation_images']} training images (disjoint from every
training subset), with a grid of {protocol['grid_size']} points for every
method, on the {tuning_regime} regime and seed {tuning_seed}; the test set
scores each final model once. {seeds} paired seeds; the intervals are
Student's t over the per-seed differences.

{(2 * chr(10)).join(sections)}

![accuracy per method](benchmark_accuracy.png)
![learning curves](benchmark_curves.png)

### Converged?

The student alone, with its chosen hyper-parameters, trained as long as
every final stage and twice as long, from the same initial weights on every
seed (validation top-1, means and paired differences):

{chr(10).join(convergence_lines)}

Trained alone like the teacher ({protocol['teacher_epochs']} epochs on its
images), the student scores **{report['student_on_teacher_images']:.2f}**
test top-1: what the regimes' students would reach with every image.

### Hyper-parameters chosen on the validation split

{chr(10).join(grid_lines)}

### Where the time goes

Each part's runs, by what they first trained for (a run that a later part
asks for again is reused, not trained again). With `--jobs 2`, every run
trains on one thread, two at a time: the runs that need the teacher as soon
as what they need has trained, the student alone's beside them.

{chr(10).join(time_lines)}

{untuned_section(report)}
## SRM's dictionary

How often the teacher uses each atom of each matched point (the fraction of
the pixels of 2000 test images whose top-k codes keep it), and the
reconstruction error of stage 1 (`tools/analysis_tools/srm_dictionary.py`
measures them for any stage-1 or stage-2 checkpoint). Entropies in bits: of
each image's image-level label (normalised to sum to 1, mean over images)
and of how the pixel labels spread over the K atoms, each at most log2 K.
The last column: the pixels of those test images where SRM's stage-2
student ({tuning_regime} regime, seed {tuning_seed}) predicts the teacher's
pixel label.

{chr(10).join(dictionary_lines)}

![atom usage](srm_atom_usage.png)
![stage-1 reconstruction error](srm_reconstruction.png)
"""
    print(text)
    with open(osp.join(out, 'benchmarks.md'), 'w') as f:
        f.write(text)


if __name__ == '__main__':
    main()
