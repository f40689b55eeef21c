"""How good a start for SRM's stage 3 a student's weights are, on the images
of a stage-3 config: a linear probe of the student's pooled features
(logistic regression fit on the first training images, top-1 on the
validation images), the features' RMS, and how far the student's BatchNorm
running statistics are from those of the features themselves (median over
the layers of the batch's variance / the running variance; 1 where they
agree). Give the stage-2 checkpoint and, to compare, the student's initial
weights (docs/srm_stage3_warmup.md).

    python tools/analysis_tools/srm_stage3_start.py CONFIG CHECKPOINT \
        [CHECKPOINT ...] [--train-images 1000] [--val-images 500] \
        [--cfg-options KEY=VALUE ...]
"""
import argparse
import sys

import numpy as np
import torch
from mmengine.registry import DefaultScope
from mmrazor.registry import MODELS
from sklearn.linear_model import LogisticRegression

import srm_mmrazor  # noqa: F401  (stack fixes, safe loading, registry)
from srm_mmrazor.analysis import image_batches
from srm_mmrazor.errors import SRMError
from srm_mmrazor.utils import (add_config_args, load_config, load_weights,
                               read_weights)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='an SRM stage-3 (or KD) config')
    parser.add_argument('checkpoints', nargs='+',
                        help='a stage-2 checkpoint, or a student checkpoint')
    parser.add_argument('--train-images', type=int, default=1000,
                        help='training images the probe is fit on')
    parser.add_argument('--val-images', type=int, default=500,
                        help='validation images it is scored on')
    add_config_args(parser)
    return parser.parse_args()


def student_of(cfg, checkpoint):
    """The config's student with the weights of ``checkpoint`` (an
    algorithm's, whose student is under ``architecture.``, or the student's
    own)."""
    student_cfg = cfg.model.architecture.copy()
    student_cfg.pop('init_cfg', None)
    with DefaultScope.overwrite_default_scope('mmrazor'):
        student = MODELS.build(student_cfg)
    prefix = 'architecture.' if read_weights(checkpoint,
                                             'architecture.') else ''
    load_weights(student, checkpoint, prefix, f'student of {cfg.filename}')
    return student


def first(dataset_cfg, images):
    """The first ``images`` of a dataset config's own images."""
    indices = dataset_cfg.get('indices')
    if indices is None or isinstance(indices, int):
        return dict(dataset_cfg, indices=min(images, indices or images))
    return dict(dataset_cfg, indices=list(indices)[:images])


def batchnorms(student):
    return [module for module in student.modules()
            if isinstance(module, torch.nn.modules.batchnorm._BatchNorm)]


@torch.no_grad()
def pooled_features(student, batches):
    """(features, labels) of preprocessed ``batches``, each with its own
    BatchNorm statistics (the running ones kept)."""
    student.train()
    for module in batchnorms(student):
        module.momentum = 0.0  # keeps the running statistics
    features, labels = [], []
    for data in batches:
        features.append(student.neck(student.backbone(data['inputs']))[-1])
        labels.append(torch.cat([s.gt_label for s in data['data_samples']]))
    return torch.cat(features).numpy(), torch.cat(labels).numpy()


@torch.no_grad()
def variance_ratios(student, inputs):
    """Per BatchNorm layer, in eval mode: the variance of its input over
    ``inputs`` / its running variance, median over the channels."""
    inputs_of = {}
    hooks = [
        module.register_forward_hook(
            lambda module, args, out: inputs_of.update({module: args[0]}))
        for module in batchnorms(student)
    ]
    student.eval()
    student.backbone(inputs)
    for hook in hooks:
        hook.remove()
    return [(x.transpose(0, 1).flatten(1).var(1) /
             module.running_var).median().item()
            for module, x in inputs_of.items()]


def main():
    args = parse_args()
    try:
        cfg = load_config(args)
        val = first(cfg.val_dataloader.dataset, args.val_images)
        train = first(
            dict(cfg.train_dataloader.dataset, pipeline=val['pipeline']),
            args.train_images)
        with DefaultScope.overwrite_default_scope('mmpretrain'):
            preprocessor = MODELS.build(cfg.data_preprocessor)
        # the same inputs for every checkpoint: preprocessed once
        train_batches = [preprocessor(batch, False)
                         for batch in image_batches(train)]
        val_batches = [preprocessor(batch, False)
                       for batch in image_batches(val)]
        for checkpoint in args.checkpoints:
            student = student_of(cfg, checkpoint)
            ratios = variance_ratios(student, train_batches[0]['inputs'])
            x, y = pooled_features(student, train_batches)
            x_val, y_val = pooled_features(student, val_batches)
            probe = LogisticRegression(max_iter=2000).fit(x, y)
            print(f'{checkpoint}: linear probe '
                  f'{100 * probe.score(x_val, y_val):.1f}%, feature RMS '
                  f'{np.sqrt((x**2).mean()):.3f}, BatchNorm batch / running '
                  f'variance {np.median(ratios):.3g} (median of '
                  f'{len(ratios)} layers)')
    except SRMError as error:
        sys.exit(f'error: {error}')


if __name__ == '__main__':
    main()
