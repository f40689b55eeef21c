"""The plots of docs/benchmarks.md."""
import glob
import json
import os.path as osp
import statistics

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.registry import DefaultScope  # noqa: E402
from mmpretrain.registry import DATASETS  # noqa: E402
from mmrazor.registry import MODELS  # noqa: E402


def training_log(work_dir: str) -> list:
    """The entries of the latest run's vis_data/scalars.json in the work
    dir of one stage (mmengine writes a timestamped folder per run)."""
    runs = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    with open(sorted(runs)[-1]) as f:
        return [json.loads(line) for line in f]


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
    """Per matched point: how often the teacher uses each atom on the test
    set (stage-1 dictionary), and the reconstruction error over stage 1."""
    work_dir = report['dictionary_work_dir']
    cfg = Config.fromfile(glob.glob(osp.join(work_dir, '*_stage1.py'))[0])
    cfg.model.teacher_ckpt = report['teacher_checkpoint']
    cfg.model.data_preprocessor = cfg.data_preprocessor
    with DefaultScope.overwrite_default_scope('mmrazor'):
        model = MODELS.build(cfg.model)
    state = torch.load(report['dictionary_checkpoint'], weights_only=False)
    model.load_state_dict(state['state_dict'])
    dataset = DATASETS.build(
        dict(cfg.test_dataloader.dataset, indices=2000))
    batch = model.data_preprocessor(
        pseudo_collate([dataset[i] for i in range(len(dataset))]), False)
    with torch.no_grad(), model.distiller.teacher_recorders:
        model.teacher(batch['inputs'], mode='tensor')
    points = list(model.distiller.coders)

    fig, axes = plt.subplots(1, len(points), figsize=(4 * len(points), 3.5))
    for ax, point in zip(axes, points):
        coder = model.distiller.coders[point]
        feature = model.distiller._feature(point, from_student=False)
        with torch.no_grad():
            kept = (coder.encode(feature) > 0).float().mean(dim=(0, 2, 3))
        usage = kept.sort(descending=True).values
        ax.bar(range(len(usage)), usage.numpy(), width=1.0)
        ax.set_title(f'{point}: k={coder.sparsity}, {int((usage > 0).sum())} '
                     f'of K={coder.num_codewords} atoms used')
        ax.set_xlabel('atoms, most used first')
        ax.set_ylabel('fraction of pixels using it')
    fig.suptitle('Atom usage of the teacher\'s sparse codes (2000 test '
                 'images)')
    fig.tight_layout()
    fig.savefig(osp.join(out, 'srm_atom_usage.png'), dpi=100)
    plt.close(fig)

    log = training_log(work_dir)
    fig, ax = plt.subplots(figsize=(6, 4))
    for point in points:
        key = f'loss_reconstruction_{point}'
        steps = [entry['step'] for entry in log if key in entry]
        ax.plot(steps, [entry[key] for entry in log if key in entry],
                label=point)
    ax.set_xlabel('stage-1 iteration')
    ax.set_ylabel('reconstruction MSE')
    ax.set_yscale('log')
    ax.legend()
    ax.set_title('SRM stage 1: reconstruction error')
    fig.tight_layout()
    fig.savefig(osp.join(out, 'srm_reconstruction.png'), dpi=100)
    plt.close(fig)
