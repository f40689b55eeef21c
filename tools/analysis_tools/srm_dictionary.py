"""What an SRM stage-1 or stage-2 checkpoint learnt, on the images of its
config: per matched point the teacher's atom usage, the reconstruction
error, the spread of the labels the dictionary makes and (stage 2) how often
the student's pixel predictions agree with the teacher's labels
(srm_mmrazor.analysis). Writes srm_statistics.json and srm_atom_usage.png,
and for the final checkpoint of a multi-stage run's stage 1 (whose summary
names its training log) srm_reconstruction.png: each point's reconstruction
error over the stage.

    python tools/analysis_tools/srm_dictionary.py CONFIG CHECKPOINT \
        [--images 2000] [--out DIR] [--cfg-options KEY=VALUE ...]
"""
import argparse
import json
import os
import os.path as osp
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

import srm_mmrazor  # noqa: E402,F401  (stack fixes, safe loading, registry)
from srm_mmrazor.analysis import (build_stage, image_batches,  # noqa: E402
                                  srm_statistics)
from srm_mmrazor.engine import (finished, logged_scalars,  # noqa: E402
                                read_summary)
from srm_mmrazor.errors import SRMError  # noqa: E402
from srm_mmrazor.utils import add_config_args, load_config  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='an SRM stage-1 or stage-2 config')
    parser.add_argument('checkpoint', help='a checkpoint of that stage')
    parser.add_argument('--images', type=int, default=2000,
                        help='how many images (the first ones) to measure on')
    parser.add_argument('--out', default='.', help='folder of the results')
    add_config_args(parser)
    return parser.parse_args()


def dataset_of(cfg):
    """The test images of the config, else its validation or training
    images; and which split that is. Training images are read through the
    config's ``test_pipeline``: the training pipeline's random augmentation
    would make each measurement different."""
    for split in ('test', 'val', 'train'):
        loader = cfg.get(f'{split}_dataloader')
        if not loader:
            continue
        if split != 'train':
            return loader.dataset, split
        if 'test_pipeline' not in cfg:
            raise SRMError(
                f'{cfg.filename} takes its images from train_dataloader, '
                'whose pipeline may augment them at random, and defines no '
                'test_pipeline to read them without: add test_pipeline to '
                'the config, or give the tool a config with a '
                'test_dataloader')
        return dict(loader.dataset, pipeline=cfg.test_pipeline), split
    raise SRMError(f'{cfg.filename} has no dataloader to take images from')


def plot_usage(statistics, title, path):
    points = list(statistics)
    fig, axes = plt.subplots(1, len(points), figsize=(4 * len(points), 3.5),
                             squeeze=False)
    for ax, point in zip(axes[0], points):
        usage = sorted(statistics[point]['usage'], reverse=True)
        ax.bar(range(len(usage)), usage, width=1.0)
        ax.set_title(f'{point}: {statistics[point]["atoms_used"]} of '
                     f'K={statistics[point]["num_codewords"]} atoms used')
        ax.set_xlabel('atoms, most used first')
        ax.set_ylabel('fraction of pixels using it')
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_reconstruction(stage_dir, points, path):
    """Each point's reconstruction error logged over the stage trained in
    ``stage_dir``; False (nothing written) where it logged none."""
    summary = read_summary(stage_dir)
    log = logged_scalars(summary) if summary.get('scalars') else []
    keys = {point: f'loss_reconstruction_{point}' for point in points}
    if not any(key in entry for entry in log for key in keys.values()):
        return False
    fig, ax = plt.subplots(figsize=(6, 4))
    for point, key in keys.items():
        ax.plot([entry['step'] for entry in log if key in entry],
                [entry[key] for entry in log if key in entry], label=point)
    ax.set_xlabel('stage-1 iteration')
    ax.set_ylabel('reconstruction MSE')
    ax.set_yscale('log')
    ax.legend()
    ax.set_title('SRM stage 1: reconstruction error')
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def main():
    args = parse_args()
    try:
        cfg = load_config(args)
        dataset, split = dataset_of(cfg)
        model = build_stage(cfg, args.checkpoint)
        statistics = srm_statistics(model,
                                    image_batches(dataset, args.images))
    except SRMError as error:
        sys.exit(f'error: {error}')
    os.makedirs(args.out, exist_ok=True)
    with open(osp.join(args.out, 'srm_statistics.json'), 'w') as f:
        json.dump(dict(config=args.config, checkpoint=args.checkpoint,
                       split=split, images=args.images, points=statistics),
                  f, indent=2)
    plot_usage(statistics,
               f'Atom usage of the teacher\'s sparse codes ({args.images} '
               f'{split} images)', osp.join(args.out, 'srm_atom_usage.png'))
    stage_dir = osp.dirname(osp.abspath(args.checkpoint))
    if finished(stage_dir) and plot_reconstruction(
            stage_dir, statistics,
            osp.join(args.out, 'srm_reconstruction.png')):
        print('srm_reconstruction.png: the reconstruction error over stage 1')
    for point, s in statistics.items():
        line = (f'{point}: {s["atoms_used"]}/{s["num_codewords"]} atoms used, '
                f'reconstruction MSE {s["reconstruction_mse"]:.4f}, label '
                f'entropy image {s["image_label_entropy"]:.2f} / pixel '
                f'{s["pixel_label_entropy"]:.2f} of {s["max_entropy"]:.2f} '
                'bits')
        if 'agreement' in s:
            line += f', student agrees on {100 * s["agreement"]:.1f}% pixels'
        print(line)


if __name__ == '__main__':
    main()
