import math
import os.path as osp
from typing import Optional

import torch
from mmengine.dist import all_reduce
from mmengine.hooks import Hook
from mmrazor.registry import HOOKS

from ...errors import NonFiniteLossError


@HOOKS.register_module()
class CheckFiniteLossHook(Hook):
    """Stop training at the first NaN or infinite loss, naming the run, the
    iteration and the loss terms, before any checkpoint of the broken model
    is saved: the last good checkpoint stays the one ``--resume`` uses.

    In a distributed run every process stops at the same iteration (a loss
    that is finite here may be NaN on another process, whose gradients this
    one has averaged in).
    """

    priority = 'VERY_HIGH'  # before CheckpointHook's after_train_iter

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        losses = {
            name: float(value.detach()) if hasattr(value, 'detach') else value
            for name, value in (outputs or {}).items() if 'loss' in name
        }
        bad = {
            name: value
            for name, value in losses.items() if not math.isfinite(value)
        }
        anywhere = torch.tensor(float(bool(bad)))
        all_reduce(anywhere, op='max')  # a no-op in a single process
        if not anywhere:
            return
        terms = ', '.join(f'{name} = {value}' for name, value in bad.items())
        last = runner.message_hub.get_info('last_ckpt')
        raise NonFiniteLossError(
            f'non-finite loss in {osp.basename(runner.work_dir)!r} at '
            f'iteration {runner.iter + 1}: '
            f'{terms or "on another process"}; training stopped. ' +
            (f'--resume continues from {last}, the last good checkpoint'
             if last else 'No checkpoint was saved yet'))
