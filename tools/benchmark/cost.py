"""What SRM costs per training iteration on the ImageNet pair of
configs/srm_r50_mbv2.py (ResNet-50 -> MobileNetV2, random images), against
MMRazor's KD and FitNets, the student alone, and a plain-PyTorch floor that
does only each SRM stage's unavoidable work. All configurations are built
once and timed interleaved, round after round, in one process; the most
tensor memory alive in a step is measured in a fresh process per
configuration; FLOPs are counted by torch.utils.flop_counter. Writes
docs/benchmark_cost.md.

    python tools/benchmark/cost.py [--batch 4] [--size 160] [--rounds 10]
        [--no-memory]
"""
import argparse
import json
import os
import os.path as osp
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope
from mmpretrain.structures import DataSample
from mmrazor.registry import MODELS
from torch.profiler import ProfilerActivity, profile
from torch.utils.flop_counter import FlopCounterMode

import srm_mmrazor  # noqa: F401  (applies the stack fixes, registers modules)
from srm_mmrazor.engine import stage_config_file

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PIPELINE = osp.join(REPO, 'configs/srm_r50_mbv2.py')
KD_BASELINE = osp.join(REPO, 'configs/distill/mmcls/kd',
                       'kd_logits_resnet50_mobilenet-v2_8xb32_in1k.py')
STAGE = osp.join(REPO, 'configs/distill/mmcls/srm',
                 'srm_resnet50_mobilenet-v2_8xb32_in1k_stage{}.py')
PAIR = Config.fromfile(
    osp.join(REPO, 'configs/_base_/srm/resnet50_mobilenet-v2_in1k.py'))
# the heading of the section that tools/benchmark/gpu_check.sh's numbers fill
GPU_CHECK = '\n## GPU check'
SGD = dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9))


def algorithm(stage, multiplier=None):
    """An SRM stage's algorithm from its config, without pretrained weights,
    with codeword multiplier ``multiplier`` (None: the config's K)."""
    cfg = Config.fromfile(STAGE.format(stage)).model
    cfg.teacher_ckpt = None
    cfg.pop('dictionary_ckpt', None)
    cfg.get('architecture', {}).pop('init_cfg', None)
    if multiplier is not None:
        for coder in cfg.get('distiller', {}).get('coders', {}).values():
            coder.update(codeword_multiplier=multiplier, num_codewords=None)
    cfg.data_preprocessor = dict(type='mmpretrain.ClsDataPreprocessor')
    return MODELS.build(cfg)


def mmrazor_kd():
    """MMRazor's logits KD, as its kd_logits_* configs build it."""
    stage3 = Config.fromfile(STAGE.format(3)).model
    return MODELS.build(dict(
        type='SingleTeacherDistill',
        architecture=PAIR.student_model,
        teacher=PAIR.teacher_model,
        data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor'),
        distiller=stage3.distiller))


def mmrazor_fitnets():
    """MMRazor's FitNets: ConvModule connectors and L2 hints on two stages,
    plus logits KD, as its fitnets_* config builds it."""
    hints = dict(layer3=(96, 1024, 'layer5', 'layer3'),
                 layer4=(320, 2048, 'layer7', 'layer4'))
    distiller = dict(
        type='ConfigurableDistiller',
        student_recorders={
            p: dict(type='ModuleOutputs', source=f'backbone.{s}')
            for p, (_, _, s, _) in hints.items()},
        teacher_recorders={
            p: dict(type='ModuleOutputs', source=f'backbone.{t}')
            for p, (_, _, _, t) in hints.items()},
        connectors={
            p: dict(type='ConvModuleConnector', in_channel=i, out_channel=o,
                    norm_cfg=dict(type='BN'))
            for p, (i, o, _, _) in hints.items()},
        distill_losses={f'loss_{p}': dict(type='L2Loss', loss_weight=10)
                        for p in hints},
        loss_forward_mappings={
            f'loss_{p}': dict(
                s_feature=dict(from_student=True, recorder=p, connector=p),
                t_feature=dict(from_student=False, recorder=p))
            for p in hints})
    distiller['student_recorders']['logits'] = dict(
        type='ModuleOutputs', source='head.fc')
    distiller['teacher_recorders']['logits'] = dict(
        type='ModuleOutputs', source='head.fc')
    distiller['distill_losses']['loss_kd'] = dict(type='KLDivergence', tau=4)
    distiller['loss_forward_mappings']['loss_kd'] = dict(
        preds_S=dict(from_student=True, recorder='logits'),
        preds_T=dict(from_student=False, recorder='logits'))
    return MODELS.build(dict(
        type='SingleTeacherDistill', architecture=PAIR.student_model,
        teacher=PAIR.teacher_model, distiller=distiller,
        data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor')))


def student_alone():
    return MODELS.build(dict(
        PAIR.student_model,
        data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor')))


class Floor:
    """The unavoidable work of an SRM stage in plain PyTorch: the same
    networks called directly (no runner, recorder, distiller or data
    preprocessor), the SRM formulas inline, a plain optimizer step."""

    def __init__(self, stage, multiplier=None):
        template = algorithm(stage, multiplier)
        self.teacher = template.teacher.backbone.requires_grad_(False)
        self.teacher.eval()
        self.teacher_pool = template.teacher.neck
        self.teacher.out_indices = (0, 1, 2, 3)
        self.coders = [(c.dictionary, c.intercept, c.sparsity)
                       for c in template.distiller.coders.values()]
        self.stage = stage
        if stage == 1:
            params = [p for c in self.coders for p in c[:2]]
        else:
            self.coders = [(d.detach(), b.detach(), k)
                           for d, b, k in self.coders]
            self.student = template.student.backbone
            # layer2, layer3, layer5, layer7, and conv2 for the pooled point
            self.student.out_indices = (1, 2, 4, 6, 7)
            self.student_pool = template.student.neck
            self.heads = [(h.projection, h.intercept)
                          for h in template.distiller.heads.values()]
            params = list(self.student.parameters()) + [
                p for h in self.heads for p in h]
        self.optimizer = torch.optim.SGD(params, lr=0.01, momentum=0.9)

    @staticmethod
    def project(x, weight, bias):
        return torch.einsum('nchw,ck->nkhw', x, weight) + bias

    def teacher_maps(self, x):
        with torch.no_grad():
            maps = list(self.teacher(x))
            maps.append(self.teacher_pool((maps[-1], ))[0][:, :, None, None])
        return maps

    def step(self, x, labels):
        maps = self.teacher_maps(x)
        loss = 0
        if self.stage == 1:
            for feature, (dictionary, intercept, k) in zip(maps, self.coders):
                a = torch.sigmoid(self.project(feature, dictionary, intercept))
                s = a * (a >= a.topk(k, dim=1).values[:, -1:])
                recon = torch.einsum('nkhw,ck->nchw', s, dictionary)
                loss = loss + F.mse_loss(recon, feature)
        else:
            *features, last = self.student(x)
            features.append(self.student_pool((last, ))[0][:, :, None, None])
            for feature, student, (dictionary, intercept, k), (
                    projection, bias) in zip(maps, features, self.coders,
                                             self.heads):
                with torch.no_grad():
                    a = torch.sigmoid(
                        self.project(feature, dictionary, intercept))
                    s = a * (a >= a.topk(k, dim=1).values[:, -1:])
                    image_label, pixel_label = s.mean((2, 3)), a.argmax(1)
                p = torch.sigmoid(self.project(student, projection, bias))
                loss = loss + F.binary_cross_entropy(
                    p.mean((2, 3)), image_label) + F.cross_entropy(
                        p, pixel_label)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()


CONFIGURATIONS = {
    'SRM stage 1': lambda m: algorithm_step(algorithm(1, m)),
    'floor of stage 1': lambda m: floor_step(Floor(1, m)),
    'SRM stage 2': lambda m: algorithm_step(algorithm(2, m)),
    'floor of stage 2': lambda m: floor_step(Floor(2, m)),
    'SRM stage 3': lambda m: algorithm_step(algorithm(3, m)),
    'MMRazor KD': lambda m: algorithm_step(mmrazor_kd()),
    'MMRazor FitNets': lambda m: algorithm_step(mmrazor_fitnets()),
    'student alone': lambda m: algorithm_step(student_alone()),
}


def build(name, multiplier=None):
    """A step function of configuration ``name``: step(images, labels)."""
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmrazor'):
        return CONFIGURATIONS[name](multiplier)


def algorithm_step(model):
    optim_wrapper = build_optim_wrapper(model, SGD)
    model.train()

    def step(images, data_samples):
        model.train_step(dict(inputs=list(images), data_samples=data_samples),
                         optim_wrapper)

    return step


def floor_step(floor):
    mean = torch.tensor([123.675, 116.28, 103.53]).view(1, 3, 1, 1)
    std = torch.tensor([58.395, 57.12, 57.375]).view(1, 3, 1, 1)

    def step(images, data_samples):
        floor.step((images.float() - mean) / std, data_samples)

    return step


def peak_memory(name, multiplier, batch, size):
    """The most tensor memory (bytes) alive during a training step of
    configuration ``name`` (its third), from PyTorch's allocation records,
    in a fresh process of its own: what another configuration leaves behind
    in a process would count too."""
    command = [sys.executable, __file__, '--memory-of', name, '--batch',
               str(batch), '--size', str(size)]
    if multiplier is not None:
        command += ['--multiplier', str(multiplier)]
    result = subprocess.run(command, capture_output=True, text=True,
                            check=True)
    return int(result.stdout.split()[-1])


def report_memory_of(name, multiplier, batch, size):
    """The ``--memory-of`` mode of :func:`peak_memory`."""
    step = build(name, multiplier)
    images, labels = random_batch(batch, size)
    for _ in range(2):
        step(images, labels)
    with profile(activities=[ProfilerActivity.CPU],
                 profile_memory=True) as prof:
        step(images, labels)
    with tempfile.NamedTemporaryFile(suffix='.json') as trace:
        prof.export_chrome_trace(trace.name)
        with open(trace.name) as f:
            events = json.load(f)['traceEvents']
    print(max([0] + [e['args']['Total Allocated']
                     for e in events if e.get('name') == '[memory]']))


def flops(step, images, data_samples):
    with FlopCounterMode(display=False) as counter:
        step(images, data_samples)
    return counter.get_total_flops()


def measure(names, multiplier, batch, size, rounds, memory=True):
    """Median seconds per step, memory (None where not ``memory``) and
    GFLOPs of each configuration.
    Each round runs every configuration (in an order rotated from round to
    round) for two steps and times the second: the first settles the
    allocator after the configuration before, which otherwise costs the
    next one page faults."""
    configs = {name: build(name, multiplier) for name in names}
    images, labels = random_batch(batch, size)
    times = {name: [] for name in names}
    for turn in range(rounds):
        for name in names[turn % len(names):] + names[:turn % len(names)]:
            configs[name](images, labels)
            started = time.perf_counter()
            configs[name](images, labels)
            times[name].append(time.perf_counter() - started)
    return {
        name: dict(seconds=statistics.median(times[name]),
                   memory=peak_memory(name, multiplier, batch, size)
                   if memory else None,
                   gflops=flops(configs[name], images, labels) / 1e9)
        for name in names
    }


def random_batch(batch, size):
    images = torch.randint(0, 256, (batch, 3, size, size), dtype=torch.uint8)
    return images, [DataSample().set_gt_label(i) for i in range(batch)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--batch', type=int, default=4)
    parser.add_argument('--size', type=int, default=160)
    parser.add_argument('--rounds', type=int, default=10)
    parser.add_argument('--out', default=osp.join(REPO, 'docs'))
    parser.add_argument(
        '--no-memory', action='store_true',
        help='skip the step memory (a fresh process per configuration)')
    parser.add_argument('--memory-of', help=argparse.SUPPRESS)
    parser.add_argument('--multiplier', type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_of:
        return report_memory_of(args.memory_of, args.multiplier, args.batch,
                                args.size)
    started = time.time()
    results = measure(list(CONFIGURATIONS), None, args.batch, args.size,
                      args.rounds, not args.no_memory)
    with DefaultScope.overwrite_default_scope('mmrazor'):
        teacher = Floor(1)
    with FlopCounterMode(display=False) as counter:
        teacher.teacher_maps(random_batch(args.batch, args.size)[0].float())
    teacher_gflops = counter.get_total_flops() / 1e9
    codewords = [dictionary.shape[1] for dictionary, _, _ in teacher.coders]

    growth = {}
    stages = ['SRM stage 1', 'SRM stage 2']
    rounds = max(3, args.rounds // 2)
    for multiplier, size in [(1.0, args.size), (2.0, args.size),
                             (4.0, args.size), (4.0, args.size // 2),
                             (4.0, args.size * 3 // 2)]:
        for name, value in measure(stages, multiplier, args.batch, size,
                                   rounds, not args.no_memory).items():
            growth[(name, f'{multiplier:g}', size)] = value
    write_report(args, results, teacher_gflops, growth, codewords,
                 round(time.time() - started))


def ratio(results, a, b, key):
    """results[a][key] / results[b][key]; None where not measured."""
    if results[a][key] is None:
        return None
    return results[a][key] / results[b][key]


def mib(value):
    return 'n/a' if value is None else f'{value / 2**20:.0f}'


def number(value, digits):
    return 'n/a' if value is None else f'{value:.{digits}f}'


def whole_pipeline(results):
    """Rows (stage, epochs, time per step / KD's, cost in KD epochs) of
    each stage of configs/srm_r50_mbv2.py, and the KD baseline's epochs:
    each stage's step time times its config's epochs (every stage reads the
    same images per epoch in batches of the same size)."""
    kd = Config.fromfile(KD_BASELINE)
    kd_step = results['MMRazor KD']['seconds']
    rows = []
    pipeline = Config.fromfile(PIPELINE)
    for number, (name, stage) in enumerate(pipeline.stages.items(), 1):
        path = stage_config_file(pipeline, name)
        cfg = Config.fromfile(path)
        assert (cfg.train_dataloader.batch_size ==
                kd.train_dataloader.batch_size), path
        step = results[f'SRM stage {number}']['seconds'] / kd_step
        rows.append((stage.title, cfg.train_cfg.max_epochs, step,
                     step * cfg.train_cfg.max_epochs))
    return rows, kd.train_cfg.max_epochs


def pipeline_ratio(results, stage_seconds):
    """The whole pipeline's cost over the KD baseline's with stages 1 and
    2 at ``stage_seconds`` per step (stage 3 as measured)."""
    steps = {f'SRM stage {n}': dict(seconds=stage_seconds[n - 1])
             for n in (1, 2)}
    rows, kd_epochs = whole_pipeline(dict(results, **steps))
    return sum(row[-1] for row in rows) / kd_epochs


def write_report(args, results, teacher_gflops, growth, codewords,
                 seconds):
    checks = [
        ('SRM stage 1', 'floor of stage 1', 1.10),
        ('SRM stage 2', 'floor of stage 2', 1.10),
        ('SRM stage 3', 'MMRazor KD', 1.02),
    ]
    lines = [
        '| step | median time (s) | step memory (MiB) | GFLOPs |',
        '| --- | --- | --- | --- |'
    ]
    for name, value in results.items():
        lines.append(f'| {name} | {value["seconds"]:.3f} | '
                     f'{mib(value["memory"])} | {value["gflops"]:.1f} |')
    lines += ['', '| ratio | time | memory | target | met |',
              '| --- | --- | --- | --- | --- |']
    for a, b, target in checks:
        t, m = (ratio(results, a, b, k) for k in ('seconds', 'memory'))
        met = max(t, m or 0) <= target
        lines.append(f'| {a} / {b} | {t:.3f} | {number(m, 3)} | <= '
                     f'{target:.2f} | {"yes" if met else "NO"} |')
    for a in ('SRM stage 1', 'SRM stage 2', 'SRM stage 3'):
        for b in ('MMRazor FitNets', 'MMRazor KD', 'student alone'):
            t, m = (ratio(results, a, b, k) for k in ('seconds', 'memory'))
            lines.append(f'| {a} / {b} | {t:.2f} | {number(m, 2)} | | |')
    rows, kd_epochs = whole_pipeline(results)
    total = sum(row[-1] for row in rows)
    lines += ['', '| stage of configs/srm_r50_mbv2.py | epochs | time per '
              'step / KD\'s | cost (KD epochs) |', '| --- | --- | --- | --- |']
    lines += [f'| {title} | {epochs} | {step:.2f} | {cost:.1f} |'
              for title, epochs, step, cost in rows]
    lines.append(f'| whole pipeline / KD baseline ({kd_epochs} epochs) | | | '
                 f'{total:.1f} / {kd_epochs} = {total / kd_epochs:.2f} |')
    parts = {
        'teacher forward': teacher_gflops,
        'student forward + backward': results['student alone']['gflops'],
        'coders (stage 1: forward + backward)':
        results['SRM stage 1']['gflops'] - teacher_gflops,
        'labels + heads (stage 2)': results['SRM stage 2']['gflops'] -
        teacher_gflops - results['student alone']['gflops'],
    }
    lines += ['', '| part of a step | GFLOPs |', '| --- | --- |']
    lines += [f'| {part} | {value:.1f} |' for part, value in parts.items()]
    lines += ['', '| stage | codeword multiplier | image size | time (s) | '
              'step memory (MiB) | GFLOPs | whole pipeline / KD baseline |',
              '| --- | --- | --- | --- | --- | --- | --- |']
    for (stage, multiplier, size), value in growth.items():
        whole = ''
        if stage == 'SRM stage 2' and size == args.size:
            whole = '{:.2f}'.format(pipeline_ratio(results, [
                growth[(s, multiplier, size)]['seconds']
                for s in ('SRM stage 1', 'SRM stage 2')]))
        lines.append(f'| {stage} | {multiplier} | {size} | '
                     f'{value["seconds"]:.3f} | '
                     f'{mib(value["memory"])} | '
                     f'{value["gflops"]:.1f} | {whole} |')
    table = '\n'.join(lines)
    print(table)
    os.makedirs(args.out, exist_ok=True)
    path = osp.join(args.out, 'benchmark_cost.md')
    gpu_check = ''  # the GPU check's section, from a run on a GPU: kept
    if osp.isfile(path):
        with open(path) as f:
            text = f.read()
        if GPU_CHECK in text:
            gpu_check = text[text.index(GPU_CHECK):]
    with open(path, 'w') as f:
        f.write(f"""# What SRM costs

Generated by `python tools/benchmark/cost.py --batch {args.batch} --size \
{args.size} --rounds {args.rounds}{' --no-memory' * args.no_memory}` in
{seconds} s on {platform.machine()} with {os.cpu_count()} CPU cores, torch
{torch.__version__}: one training step
of ResNet-50 -> MobileNetV2 1.0x (configs/srm_r50_mbv2.py: 5 matched points,
K = {', '.join(map(str, codewords))} codewords) on {args.batch} random
{args.size}x{args.size} images, SGD. Times are medians of {args.rounds}
interleaved rounds (each configuration settles for a step before its timed
step); step memory is the most tensor memory alive during a training step
(weights, optimizer state and the step's own tensors: PyTorch's allocation
records of the third step), each configuration in a fresh process of its
own; the floors are plain
PyTorch loops doing only each SRM stage's unavoidable work (the same networks
called directly, the SRM formulas inline, no runner, recorder or distiller).
The whole pipeline's cost is each stage's time per step over the KD
baseline's, times the stage config's epochs, summed, over the KD baseline's
epochs. The last table times stages 1 and 2 again at other sizes of K (K =
multiplier x the teacher's channels at each point) and of image; what K
does to accuracy: [the SRM configs' README](../configs/distill/mmcls/srm/README.md),
"Atoms" (the configs' Fashion-MNIST pair has K = 2 C_T).

{table}
""" + gpu_check)


if __name__ == '__main__':
    main()
