"""What SRM costs per training iteration on the ImageNet pair of
configs/srm_r50_mbv2.py (ResNet-50 -> MobileNetV2, random images), against
MMRazor's KD and FitNets, the student alone, and a plain-PyTorch floor that
does only each SRM stage's unavoidable work. All configurations are built
once and timed interleaved, round after round, in one process; peak memory
is the most tensor memory alive during one step; FLOPs are counted by
torch.utils.flop_counter. Writes docs/benchmark_cost.md.

    python tools/benchmark/cost.py [--batch 4] [--size 160] [--rounds 10]
"""
import argparse
import copy
import json
import os
import os.path as osp
import platform
import statistics
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

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
STAGE = osp.join(REPO, 'configs/imagenet/srm_r50_mbv2_8xb32_in1k_stage{}.py')
PAIR = Config.fromfile(
    osp.join(REPO, 'configs/_base_/srm/resnet50_mobilenet-v2_in1k.py'))
SGD = dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9))


def algorithm(stage, multiplier=4.0):
    """An SRM stage's algorithm from its config, without pretrained weights,
    with codeword multiplier ``multiplier``."""
    cfg = Config.fromfile(STAGE.format(stage)).model
    cfg.teacher_ckpt = None
    cfg.pop('dictionary_ckpt', None)
    cfg.get('architecture', {}).pop('init_cfg', None)
    for coder in cfg.get('distiller', {}).get('coders', {}).values():
        coder.codeword_multiplier = multiplier
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

    def __init__(self, stage, multiplier=4.0):
        template = algorithm(stage, multiplier)
        points = PAIR.teacher_recorders
        self.teacher = template.teacher.backbone.eval().requires_grad_(False)
        self.teacher_pool = template.teacher.neck
        self.teacher.out_indices = (0, 1, 2, 3)
        self.coders = [(c.dictionary, c.intercept, c.sparsity)
                       for c in template.distiller.coders.values()]
        assert list(points) == list(template.distiller.coders)
        self.stage = stage
        if stage == 1:
            params = [p for c in self.coders for p in c[:2]]
        else:
            self.coders = [(d.detach(), b.detach(), k)
                           for d, b, k in self.coders]
            self.student = template.student.backbone
            self.student.out_indices = (1, 2, 4, 6)  # layer2, 3, 5, 7
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
            features = list(self.student(x))
            features.append(
                self.student_pool((features[-1], ))[0][:, :, None, None])
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


def peak_memory(step, images, data_samples):
    """The most tensor memory (bytes) that one step holds at once above its
    lowest point before, from the profiler's allocation records."""
    with profile(activities=[ProfilerActivity.CPU],
                 profile_memory=True) as prof:
        step(images, data_samples)
    with tempfile.NamedTemporaryFile(suffix='.json') as trace:
        prof.export_chrome_trace(trace.name)
        with open(trace.name) as f:
            events = json.load(f)['traceEvents']
    peak, lowest = 0, 0
    for event in events:
        if event.get('name') == '[memory]':
            total = event['args']['Total Allocated']
            lowest = min(lowest, total)
            peak = max(peak, total - lowest)
    return peak


def flops(step, images, data_samples):
    with FlopCounterMode(display=False) as counter:
        step(images, data_samples)
    return counter.get_total_flops()


def measure(configs, images, labels, rounds):
    """Median seconds per step (interleaved rounds) and peak memory."""
    times = {name: [] for name in configs}
    for step in configs.values():  # warm-up
        step(images, labels)
    for _ in range(rounds):
        for name, step in configs.items():
            started = time.perf_counter()
            step(images, labels)
            times[name].append(time.perf_counter() - started)
    return {
        name: dict(seconds=statistics.median(times[name]),
                   memory=peak_memory(step, images, labels),
                   gflops=flops(step, images, labels) / 1e9)
        for name, step in configs.items()
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
    args = parser.parse_args()
    torch.manual_seed(0)
    started = time.time()
    batch = random_batch(args.batch, args.size)
    with DefaultScope.overwrite_default_scope('mmrazor'):
        main_configs = {
            'SRM stage 1': algorithm_step(algorithm(1)),
            'floor of stage 1': floor_step(Floor(1)),
            'SRM stage 2': algorithm_step(algorithm(2)),
            'floor of stage 2': floor_step(Floor(2)),
            'SRM stage 3': algorithm_step(algorithm(3)),
            'MMRazor KD': algorithm_step(mmrazor_kd()),
            'MMRazor FitNets': algorithm_step(mmrazor_fitnets()),
            'student alone': algorithm_step(student_alone()),
        }
        teacher = Floor(1)
    results = measure(main_configs, *batch, args.rounds)
    with FlopCounterMode(display=False) as counter:
        teacher.teacher_maps(batch[0].float())
    teacher_gflops = counter.get_total_flops() / 1e9
    del main_configs

    growth = {}
    for multiplier in (1.0, 2.0, 4.0):
        with DefaultScope.overwrite_default_scope('mmrazor'):
            configs = {f'stage {s}': algorithm_step(algorithm(s, multiplier))
                       for s in (1, 2)}
        for name, value in measure(configs, *batch,
                                   max(3, args.rounds // 2)).items():
            growth[(name, f'm={multiplier:g}', args.size)] = value
    for size in (args.size // 2, args.size * 3 // 2):
        with DefaultScope.overwrite_default_scope('mmrazor'):
            configs = {f'stage {s}': algorithm_step(algorithm(s))
                       for s in (1, 2)}
        for name, value in measure(configs, *random_batch(args.batch, size),
                                   max(3, args.rounds // 2)).items():
            growth[(name, 'm=4', size)] = value
    write_report(args, results, teacher_gflops, growth,
                 round(time.time() - started))


def ratio(results, a, b, key):
    return results[a][key] / results[b][key]


def write_report(args, results, teacher_gflops, growth, seconds):
    checks = [
        ('SRM stage 1', 'floor of stage 1', 1.10),
        ('SRM stage 2', 'floor of stage 2', 1.10),
        ('SRM stage 3', 'MMRazor KD', 1.02),
    ]
    lines = [
        '| step | median time (s) | peak tensor memory (MiB) | GFLOPs |',
        '| --- | --- | --- | --- |'
    ]
    for name, value in results.items():
        lines.append(f'| {name} | {value["seconds"]:.3f} | '
                     f'{value["memory"] / 2**20:.0f} | '
                     f'{value["gflops"]:.1f} |')
    lines += ['', '| ratio | time | memory | target | met |',
              '| --- | --- | --- | --- | --- |']
    for a, b, target in checks:
        t, m = (ratio(results, a, b, k) for k in ('seconds', 'memory'))
        lines.append(f'| {a} / {b} | {t:.3f} | {m:.3f} | <= {target:.2f} | '
                     f'{"yes" if max(t, m) <= target else "NO"} |')
    for a in ('SRM stage 1', 'SRM stage 2', 'SRM stage 3'):
        for b in ('MMRazor FitNets', 'MMRazor KD', 'student alone'):
            t, m = (ratio(results, a, b, k) for k in ('seconds', 'memory'))
            lines.append(f'| {a} / {b} | {t:.2f} | {m:.2f} | | |')
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
    lines += ['', '| stage | codewords | image size | time (s) | '
              'peak memory (MiB) | GFLOPs |', '| --- | --- | --- | --- | --- | --- |']
    for (stage, multiplier, size), value in growth.items():
        lines.append(f'| {stage} | {multiplier} | {size} | '
                     f'{value["seconds"]:.3f} | '
                     f'{value["memory"] / 2**20:.0f} | '
                     f'{value["gflops"]:.1f} |')
    table = '\n'.join(lines)
    print(table)
    os.makedirs(args.out, exist_ok=True)
    with open(osp.join(args.out, 'benchmark_cost.md'), 'w') as f:
        f.write(f"""# What SRM costs

Generated by `python tools/benchmark/cost.py --batch {args.batch} --size \
{args.size} --rounds {args.rounds}` in {seconds} s on {platform.machine()}
with {os.cpu_count()} CPU cores, torch {torch.__version__}: one training step
of ResNet-50 -> MobileNetV2 1.0x (configs/srm_r50_mbv2.py: 5 matched points,
codeword multiplier 4, so K = 1024 ... 8192) on {args.batch} random
{args.size}x{args.size} images, SGD. Times are medians of {args.rounds}
interleaved rounds; peak memory is the most tensor memory one step holds at
once (PyTorch's allocator records, weights excluded); the floors are plain
PyTorch loops doing only each SRM stage's unavoidable work (the same networks
called directly, the SRM formulas inline, no runner, recorder or distiller).

{table}
""")
