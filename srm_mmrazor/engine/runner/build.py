from mmengine.config import Config
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from ...utils import lock_work_dir
from ..preflight import check_before_training


def build_runner(cfg: Config):
    """The runner that trains ``cfg``: the one it names in ``runner_type``
    (a multi-stage config's :class:`MultiStageRunner` checks each stage
    before it trains), else mmengine's ``Runner``, built once the checks
    before training pass (no other run trains in the work dir; the model and
    the data build and run forward), so that a bad config writes nothing."""
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    lock_work_dir(cfg.work_dir, hold=False)
    check_before_training(cfg)
    lock_work_dir(cfg.work_dir)
    return Runner.from_cfg(cfg)
