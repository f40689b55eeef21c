"""The plots of docs/benchmarks.md."""
import glob
import json
import os.path as osp
import statistics
import subprocess
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

ANALYSIS_TOOL = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))),
                         'analysis_tools', 'srm_dictionary.py')


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
    """Per matched point: how often the teacher uses each atom on 2000 test
    images (tools/analysis_tools/srm_dictionary.py, which also writes their
    statistics), and the reconstruction error over stage 1."""
    work_dir = report['dictionary_work_dir']
    subprocess.run([
        sys.executable, ANALYSIS_TOOL,
        glob.glob(osp.join(work_dir, '*_stage1.py'))[0],
        report['dictionary_checkpoint'], '--images', '2000', '--out', out
    ], check=True)
    with open(osp.join(out, 'srm_statistics.json')) as f:
        points = list(json.load(f)['points'])

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
