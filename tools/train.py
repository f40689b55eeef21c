"""Train a model, a distillation algorithm or a multi-stage (SRM) config.

    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp]
        [--auto-scale-lr] [--stage NAME] [--cfg-options k=v ...]
        [--trust-checkpoint PATH] [--launcher pytorch]
"""
import argparse
import sys

import torch
from torch.distributed.elastic.multiprocessing.errors import record

import srm_mmrazor  # noqa: F401  (applies the stack fixes, registers modules)
from srm_mmrazor.engine import build_runner
from srm_mmrazor.errors import ConfigError, SRMError
from srm_mmrazor.utils import add_common_args, latest_checkpoint, load_config


def parse_args():
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or without a path from the '
        'latest checkpoint in the work directory (of a multi-stage config: '
        'the interrupted stage)')
    parser.add_argument(
        '--stage',
        help='of a multi-stage config, run this stage alone (the stages '
        'before it must have finished)')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='enable automatic-mixed-precision training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate with the total batch size')
    add_common_args(parser)
    return parser.parse_args()


def merge_train_args(cfg, args):
    """Apply the training flags, as MMRazor's and mmpretrain's tools do (a
    multi-stage config's runner passes them on to its stages)."""
    multi_stage = 'stages' in cfg
    if args.amp and not torch.cuda.is_available():
        raise ConfigError(
            '--amp needs a GPU (mmengine\'s AmpOptimWrapper runs on CUDA, '
            'NPU, MLU or MUSA devices) and this machine has none: drop --amp')
    if args.amp:
        cfg.merge_from_dict({'optim_wrapper.type': 'AmpOptimWrapper'})
    if args.auto_scale_lr:
        if not multi_stage and 'base_batch_size' not in cfg.get(
                'auto_scale_lr', {}):
            raise ConfigError('--auto-scale-lr needs '
                              'auto_scale_lr = dict(base_batch_size=...) in '
                              'the config')
        cfg.merge_from_dict({'auto_scale_lr.enable': True})
    if multi_stage:
        cfg.only_stage = args.stage
    elif args.stage:
        raise ConfigError(f'--stage needs a multi-stage config; '
                          f'{args.config} has no stages')
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None if multi_stage else latest_checkpoint(
            cfg.work_dir)
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    return cfg


# in a distributed run, torchrun's summary shows the failing rank's error
@record
def main():
    args = parse_args()
    try:
        build_runner(merge_train_args(load_config(args), args)).train()
    except SRMError as error:
        sys.exit(f'error: {error}')


if __name__ == '__main__':
    main()
