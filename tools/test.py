"""Evaluate a checkpoint with the test split of a config.

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out FILE]
        [--cfg-options k=v ...] [--launcher pytorch]
"""
import argparse
import json
import sys

from mmengine.dist import is_main_process
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner
from torch.distributed.elastic.multiprocessing.errors import record

import srm_mmrazor  # noqa: F401  (applies the stack fixes, registers modules)
from srm_mmrazor.errors import ConfigError, SRMError
from srm_mmrazor.utils import (add_common_args, check_fit, load_config,
                               read_weights)


def parse_args():
    parser = argparse.ArgumentParser(description='Test a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='write the metrics to this JSON file')
    add_common_args(parser)
    return parser.parse_args()


# in a distributed run, torchrun's summary shows the failing rank's error
@record
def main():
    args = parse_args()
    try:
        cfg = load_config(args)
        if 'stages' in cfg:
            raise ConfigError(
                'tools/test.py evaluates one model: give the config of one '
                'stage (each stage dumps its config into its work directory)')
        if cfg.get('test_dataloader') is None:
            raise ConfigError(
                f'{args.config} has no test split to evaluate (an SRM stage 2 '
                'trains no classifier: evaluate its stage-3 checkpoint)')
        cfg.load_from = args.checkpoint
        runner = Runner.from_cfg(cfg)
        # mmengine loads leniently: a checkpoint of another model would
        # score random weights
        model = (runner.model.module if is_model_wrapper(runner.model) else
                 runner.model)
        check_fit(model, read_weights(args.checkpoint), args.checkpoint,
                  f'model of {args.config}')
        metrics = runner.test()
    except SRMError as error:
        sys.exit(f'error: {error}')
    if args.out and is_main_process():
        with open(args.out, 'w') as f:
            json.dump(metrics, f, indent=2)


if __name__ == '__main__':
    main()
