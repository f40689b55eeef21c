import ast
import copy
import gc
import json
import os
import os.path as osp
import re
import time
import warnings
from typing import Dict, List, Optional

from mmengine.config import Config
from mmengine.dist import barrier, is_main_process
from mmengine.logging import print_log
from mmengine.runner import Runner
from mmrazor.registry import RUNNERS

from ... import compat
from ...errors import CheckpointError, ConfigError
from ...utils import (check_writable, latest_checkpoint, lock_work_dir,
                      trust_checkpoints)
from ..preflight import check_before_training

SUMMARY = 'summary.json'
# the files of a stage its summary names, relative to the stage's folder
PATHS = ('checkpoint', 'config', 'scalars')
# a multi-stage config's optimizer wrapper when no --amp changed it
PLAIN_WRAPPER = dict(type='OptimWrapper')
# what a stage's Runner builds what it learns and reports from: a stage is
# reused only while these are unchanged (not the config's helper variables,
# nor how it runs and logs)
SETTINGS = ('model', 'data_preprocessor', 'train_dataloader', 'train_cfg',
            'optim_wrapper', 'param_scheduler', 'auto_scale_lr', 'randomness',
            'custom_hooks', 'default_scope', 'val_dataloader', 'val_cfg',
            'val_evaluator', 'test_dataloader', 'test_cfg', 'test_evaluator')


@RUNNERS.register_module()
class MultiStageRunner:
    """Runs the stages of a multi-stage config in order, in one work
    directory with a sub-directory per stage, and hands each stage's final
    checkpoint to the stages after it.

    A multi-stage config names this runner and lists its stages::

        runner_type = 'mmrazor.MultiStageRunner'
        stages = dict(
            dictionary=dict(config='srm/stage1.py'),
            intermediate=dict(
                config='srm/stage2.py',
                # config key -> the stage whose checkpoint it receives
                handoff={'model.dictionary_ckpt': 'dictionary'}),
        )
        stage_cfg_options = dict()  # --cfg-options for every stage (those
                                    # on a part a stage sets to None skip it)
        # what a training script's --amp and --auto-scale-lr set at the top
        # level go to every stage: optim_wrapper, and auto_scale_lr's enable
        # (each stage scales from its own base_batch_size)
        # optional: the table ends with what one stage's model gained over
        # others (baseline stage -> a note printed beside, e.g. what a
        # benchmark measured)
        compare = dict(stage='kd', metric='accuracy/top1',
                       baselines=dict(student=''))

    Each stage is a normal config (its path relative to the config file
    that names it, as ``_base_`` paths are, or absolute), changed by
    ``stage_cfg_options``, then by its own ``cfg_options``, then by its
    hand-offs; ``title`` names it in the final table. A finished stage (one
    with ``summary.json``) is skipped on a rerun with the same
    :data:`SETTINGS` and refused with other ones; an
    interrupted one continues with ``resume=True`` and otherwise refuses to
    start over its checkpoints. Checkpoints are found relative to the work
    directory, so a copied work directory uses its own files. In a
    distributed run every stage runs in the one process group.

    Args:
        cfg (Config): The multi-stage config, with ``work_dir``.
        only_stage (str, optional): Run this stage alone (its predecessors
            must have finished). Defaults to None: every stage.
    """

    def __init__(self, cfg: Config, only_stage: Optional[str] = None) -> None:
        self.cfg = cfg
        self.work_dir = osp.abspath(cfg.work_dir)
        # what tools/train.py checks, for a runner built by any script
        check_writable(self.work_dir)
        trust_checkpoints(cfg.get('trusted_checkpoints') or [])
        self.stages: Dict[str, dict] = dict(cfg.get('stages') or {})
        if not self.stages:
            raise ConfigError(
                f'{cfg.filename} has runner_type MultiStageRunner but no '
                'stages: add stages = dict(name=dict(config=...), ...)')
        if cfg.get('load_from'):
            raise ConfigError('a multi-stage config resumes its interrupted '
                              'stage by itself: use --resume without a path')
        self.shared = {**_training_flags(cfg),
                       **cfg.get('stage_cfg_options', {})}
        self.stage_paths = _stage_paths(cfg.filename)
        for name in self.stages:
            if not re.fullmatch(r'[A-Za-z0-9_-]+', name):
                raise ConfigError(
                    f'stage name {name!r}: each stage trains in a folder of '
                    'that name in the work dir; use letters, digits, _ and '
                    '- only')
        if only_stage is not None and only_stage not in self.stages:
            raise ConfigError(f'unknown stage {only_stage!r}; the stages of '
                              f'{cfg.filename} are {list(self.stages)}')
        self.only_stage = only_stage
        self.compare = cfg.get('compare')
        if self.compare:
            for name in (self.compare['stage'], *self.compare['baselines']):
                if name not in self.stages:
                    raise ConfigError(
                        f'compare names {name!r}, which is not a stage of '
                        f'{cfg.filename} ({list(self.stages)})')
        self.stage_cfgs = {
            name: self._stage_config(name, stage)
            for name, stage in self.stages.items()
        }
        self._warn_of_optimizer_switches()

    @classmethod
    def from_cfg(cls, cfg: Config) -> 'MultiStageRunner':
        return cls(cfg, only_stage=cfg.get('only_stage'))

    def _stage_config(self, name: str, stage: dict) -> Config:
        """Read a stage's config and check its hand-offs, before anything
        runs."""
        if 'config' not in stage:
            raise ConfigError(f"stage {name!r} has no 'config' (the path of "
                              'its config file)')
        path = stage_config_file(self.cfg, name, self.stage_paths)
        if not osp.isfile(path):
            raise ConfigError(f'stage {name!r}: config file not found: {path}')
        earlier = list(self.stages)[:list(self.stages).index(name)]
        for key, source in stage.get('handoff', {}).items():
            if source not in earlier:
                raise ConfigError(
                    f'stage {name!r} takes {key!r} from {source!r}, which is '
                    f'not a stage before it ({earlier or "none"})')
        cfg = Config.fromfile(path)
        # options for every stage skip what a stage switched off (e.g.
        # val_dataloader = None)
        cfg.merge_from_dict({
            key: copy.deepcopy(value)
            for key, value in self.shared.items() if
            key.split('.')[0] not in cfg or cfg[key.split('.')[0]] is not None
        })
        cfg.merge_from_dict(copy.deepcopy(stage.get('cfg_options', {})))
        trust_checkpoints(cfg.get('trusted_checkpoints') or [])
        cfg.work_dir = osp.join(self.work_dir, name)
        cfg.launcher = self.cfg.get('launcher', 'none')
        compat.adapt_cfg_to_cpu_distributed(cfg)
        return cfg

    def _warn_of_optimizer_switches(self) -> None:
        """Warn where a stage continues the weights of an earlier one (an
        ``init_cfg.checkpoint`` hand-off) with another kind of optimizer:
        SRM's stage 3 (SGD) started from a stage 2 trained with Adam, which
        leaves the weights at their initial scale, can train worse than from
        random weights (docs/benchmarks_previous.md, "Students no config
        names")."""
        for name, stage in self.stages.items():
            for key, source in stage.get('handoff', {}).items():
                if not key.endswith('init_cfg.checkpoint'):
                    continue
                before, after = (
                    self.stage_cfgs[s].get('optim_wrapper', {}).get(
                        'optimizer', {}).get('type') for s in (source, name))
                if before and after and before != after:
                    warnings.warn(
                        f'stage {name!r} trains the weights of stage '
                        f'{source!r} on with {after}, after {before}: a '
                        'start that can train worse than random weights. '
                        'Give both stages the same kind of optimizer (SRM\'s '
                        'stage 2 that of stage 3)', stacklevel=3)

    def _summary_path(self, name: str) -> str:
        return osp.join(self.work_dir, name, SUMMARY)

    def _summary(self, name: str) -> Optional[dict]:
        stage_dir = osp.join(self.work_dir, name)
        return read_summary(stage_dir) if finished(stage_dir) else None

    def _handoff(self, name: str, pending: List[str]) -> Dict[str, str]:
        """Config key -> the final checkpoint of the stage it comes from;
        None for a stage in ``pending`` (to run first, in this run)."""
        options = {}
        for key, source in self.stages[name].get('handoff', {}).items():
            summary = self._summary(source)
            if summary is None and source in pending:
                options[key] = None
            elif summary is None:
                raise CheckpointError(
                    f'stage {name!r} needs the checkpoint of stage '
                    f'{source!r}, which has not finished '
                    f'({self._summary_path(source)} is missing): run the '
                    'pipeline without --stage, or that stage first')
            elif not osp.isfile(summary['checkpoint']):
                raise CheckpointError(
                    f'stage {name!r} needs {summary["checkpoint"]}, the '
                    f'final checkpoint of stage {source!r}, which is missing')
            else:
                options[key] = summary['checkpoint']
        return options

    def _check_pending(self, pending: List[str]) -> None:
        """Before any stage trains: each pending stage must be able to start
        (an interrupted one only with --resume) and its config must build
        and run forward (checkpoints of earlier pending stages left out)."""
        for name in pending:
            work_dir = self.stage_cfgs[name].work_dir
            if (latest_checkpoint(work_dir) is not None
                    and not self.cfg.get('resume', False)):
                raise ConfigError(
                    f'stage {name!r} was interrupted: {work_dir} holds its '
                    'checkpoints. Rerun with --resume to continue it, or '
                    'delete that folder to start the stage again')
        for name in pending:
            cfg = copy.deepcopy(self.stage_cfgs[name])
            cfg.merge_from_dict(self._handoff(name, pending))
            check_before_training(cfg)

    def _check_finished(self, finished: List[str]) -> None:
        """A finished stage is reused only with the settings it ran with."""
        for name in finished:
            ran = self._summary(name).get('settings')
            if ran is None:  # finished before stages recorded settings
                continue
            ran = {key: value for key, value in ran.items()
                   if key.split('.')[0] in SETTINGS}
            now = _settings(self.stage_cfgs[name])
            changed = sorted(key for key in set(ran) | set(now)
                             if ran.get(key) != now.get(key))
            if changed:
                shown = '; '.join(f'{key}: {ran.get(key, "(unset)")} -> '
                                  f'{now.get(key, "(unset)")}'
                                  for key in changed[:3])
                more = f' and {len(changed) - 3} more' if len(
                    changed) > 3 else ''
                raise ConfigError(
                    f'stage {name!r} finished with other settings than it '
                    f'has now ({shown}{more}): to train it again with these, '
                    f'delete {osp.dirname(self._summary_path(name))} (and '
                    'the stages after it), or use another --work-dir')

    def train(self) -> List[dict]:
        """Run the stages; return the summary of each stage."""
        lock_work_dir(self.work_dir, hold=False)
        names = [self.only_stage] if self.only_stage else list(self.stages)
        pending = [name for name in names if self._summary(name) is None]
        self._check_finished([name for name in names if name not in pending])
        self._check_pending(pending)
        if pending:
            lock_work_dir(self.work_dir)
        summaries = []
        for name in names:
            if name in pending:
                summary = self._run_stage(name)
            else:
                summary = self._summary(name)
                print_log(f'[{name}] finished earlier '
                          f'({self._summary_path(name)}): skipped',
                          logger='current')
            summaries.append(summary)
        self._print_table(dict(zip(names, summaries)))
        return summaries

    def _run_stage(self, name: str) -> dict:
        cfg = self.stage_cfgs[name]
        settings = _settings(cfg)
        handoff = self._handoff(name, pending=[])
        cfg.merge_from_dict(handoff)
        if handoff:  # now with its predecessors' checkpoints
            check_before_training(cfg)
        resume_from = latest_checkpoint(cfg.work_dir)
        cfg.resume = resume_from is not None
        if cfg.resume:
            cfg.load_from = resume_from
        started = time.time()
        runner = Runner.from_cfg(cfg)
        runner.train()
        ended = time.time()
        summary = dict(
            title=self.stages[name].get('title', name),
            checkpoint=runner.message_hub.get_info('last_ckpt'),
            seconds=round(ended - started, 1),
            finished=round(ended, 1),
            **_results(runner),
            **_logs(runner),
            settings=settings)
        del runner  # and with it the stage's model, optimizer and loaders
        gc.collect()
        if is_main_process():
            _write_json(self._summary_path(name), {
                key: osp.relpath(value, cfg.work_dir) if key in PATHS
                and value else value for key, value in summary.items()})
        barrier()
        print_log(f'[{name}] finished in {_duration(summary["seconds"])}: '
                  f'{_describe(summary)}', logger='current')
        return summary

    def _print_table(self, summaries: Dict[str, dict]) -> None:
        width = max(len(s['title']) for s in summaries.values())
        lines = [f'{"stage":{width}s}  {"time":>7s}  result']
        for summary in summaries.values():
            lines.append(f'{summary["title"]:{width}s}  '
                         f'{_duration(summary["seconds"]):>7s}  '
                         f'{_describe(summary)}')
        if self.compare and self.compare['stage'] in summaries:
            lines += [''] + self._comparison(summaries)
        print_log(f'{self.cfg.filename or "stages"} in {self.work_dir}:\n'
                  + '\n'.join(lines), logger='current')

    def _comparison(self, summaries: Dict[str, dict]) -> List[str]:
        """One line per baseline: the compared stage's metric minus the
        baseline's, and the baseline's note."""
        metric = self.compare.get('metric', 'accuracy/top1')
        subject = summaries[self.compare['stage']]
        lines = []
        for name, note in self.compare['baselines'].items():
            baseline = summaries.get(name)
            if baseline is None:  # not run (--stage)
                continue
            line = f'{subject["title"]} - {baseline["title"]}: '
            if metric in subject['metrics'] and metric in baseline['metrics']:
                gain = subject['metrics'][metric] - baseline['metrics'][metric]
                line += f'{gain:+.2f} {metric}'
            else:
                line += f'no {metric} to compare'
            lines.append(line + (f' ({note})' if note else ''))
        return lines


def stage_config_file(cfg: Config, name: str,
                      written: Optional[Dict[str, tuple]] = None) -> str:
    """The config file of stage ``name`` of the multi-stage ``cfg``: its
    ``config`` path, relative to the file that names it as a string literal
    (see :func:`_stage_paths`, which ``written`` caches), else (set by
    ``--cfg-options``, or computed) to ``cfg``'s file."""
    config = cfg.stages[name]['config']
    if not isinstance(config, str):
        raise ConfigError(f'stage {name!r}: config={config!r} is not a path '
                          'of a config file')
    if written is None:
        written = _stage_paths(cfg.filename)
    folder, path = written.get(name, (None, None))
    if path != config:
        folder = osp.dirname(osp.abspath(cfg.filename or ''))
    return osp.normpath(osp.join(folder, config))


def _stage_paths(filename: Optional[str]) -> Dict[str, tuple]:
    """Where each stage's ``config`` path is written: stage name -> (the
    folder of the file that names it, the path), from ``filename`` and the
    local ``_base_`` files it inherits (a file's own stages over its bases').
    A relative path is relative to that folder, as a ``_base_`` path is, so
    a multi-stage config inherited from elsewhere finds its stage configs.
    Raises if a ``stages = {...}`` literal names a stage twice (a dict
    literal would silently keep the last; ``dict(a=..., a=...)`` is a
    syntax error already)."""
    if not filename or not filename.endswith('.py'):
        return {}
    with open(filename) as f:
        tree = ast.parse(f.read())
    folder = osp.dirname(osp.abspath(filename))
    paths, own = {}, {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        targets = {getattr(t, 'id', None) for t in node.targets}
        if '_base_' in targets:
            for base in _constants(node.value):
                if isinstance(base, str) and '::' not in base:
                    paths.update(_stage_paths(osp.join(folder, base)))
        if 'stages' in targets:
            stages = _items(node.value)
            names = [name for name, _ in stages]
            repeated = sorted({n for n in names if names.count(n) > 1})
            if repeated:
                raise ConfigError(f'{filename} names stage(s) {repeated} '
                                  'twice in stages: give each stage once')
            for name, stage in stages:
                config = dict(_items(stage)).get('config')
                if isinstance(config, ast.Constant):
                    own[name] = (folder, config.value)
    return {**paths, **own}


def _items(node) -> list:
    """(key, value node) pairs of a ``{...}`` or ``dict(...)`` literal."""
    if isinstance(node, ast.Dict):
        return [(k.value, v) for k, v in zip(node.keys, node.values)
                if isinstance(k, ast.Constant)]
    if isinstance(node, ast.Call) and getattr(node.func, 'id', '') == 'dict':
        return [(k.arg, k.value) for k in node.keywords if k.arg]
    return []


def _constants(node) -> list:
    """The constants of a constant or of a list or tuple of them."""
    items = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node]
    return [item.value for item in items if isinstance(item, ast.Constant)]


def _settings(cfg: Config) -> Dict[str, str]:
    """A stage's :data:`SETTINGS` as flat ``key: repr(value)`` pairs."""
    flat = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f'{prefix}.{key}' if prefix else key, item)
        else:
            flat[prefix] = repr(value)

    walk('', {key: value for key, value in cfg.to_dict().items()
              if key in SETTINGS})
    return flat


def _training_flags(cfg: Config) -> dict:
    """What a training script's flags set on a multi-stage config's top
    level (--amp: ``optim_wrapper.type``, --auto-scale-lr:
    ``auto_scale_lr.enable``), as options for every stage: an optimizer
    wrapper other than the plain one the pipelines name, and only
    ``enable`` of ``auto_scale_lr`` (each stage scales its learning rate
    from its own ``base_batch_size``)."""
    flags = {}
    if cfg.get('optim_wrapper', PLAIN_WRAPPER) != PLAIN_WRAPPER:
        flags['optim_wrapper'] = cfg.optim_wrapper
    if (cfg.get('auto_scale_lr') or {}).get('enable'):
        flags['auto_scale_lr.enable'] = True
    return flags


def finished(stage_dir: str) -> bool:
    """Whether the stage trained in ``stage_dir`` has finished (and left
    the summary that :func:`read_summary` reads)."""
    return osp.isfile(osp.join(stage_dir, SUMMARY))


def read_summary(stage_dir: str) -> dict:
    """The summary of the finished stage trained in ``stage_dir``: its
    ``title``, final ``checkpoint``, the ``config`` it ran with and the
    ``scalars`` it logged (mmengine's scalars.json; None where no local
    visualizer backend wrote one), all paths whole; ``seconds``, final
    validation ``metrics``, first and last ``loss``, ``settings``, and
    ``finished``: when the stage finished (seconds since the epoch)."""
    path = osp.join(stage_dir, SUMMARY)
    name = osp.basename(osp.normpath(stage_dir))  # the stage's folder
    fix = (f'delete {stage_dir} to train stage {name!r} again, or use '
           'another --work-dir')
    try:
        with open(path) as f:
            summary = json.load(f)
        summary['checkpoint']
    except (ValueError, TypeError, KeyError) as error:
        raise ConfigError(f'{path} is corrupt ({type(error).__name__}: '
                          f'{error}): {fix}') from None
    for key in PATHS:
        if summary.get(key):
            summary[key] = osp.join(stage_dir, summary[key])
    # a summary written before it recorded the time: when it was written
    summary.setdefault('finished', osp.getmtime(path))
    if osp.dirname(osp.abspath(summary['checkpoint'])) != osp.abspath(
            stage_dir):  # e.g. a folder copied from another run
        raise CheckpointError(
            f'{path} names {summary["checkpoint"]}, a checkpoint outside '
            f'the folder of stage {name!r}: {fix}')
    return summary


def logged_scalars(summary: dict) -> List[dict]:
    """The entries a finished stage logged (``{'step': ..., name: value}``,
    training and validation), from its :func:`read_summary`."""
    if not summary.get('scalars'):
        raise ConfigError(f'{summary["title"]} logged no scalars.json (its '
                          'visualizer has no LocalVisBackend)')
    with open(summary['scalars']) as f:
        return [json.loads(line) for line in f]


def _logs(runner: Runner) -> dict:
    """Where mmengine's Runner put the stage's config and its scalars."""
    config = osp.join(runner.work_dir,
                      osp.basename(runner.cfg.filename or '') or
                      f'{runner.timestamp}.py')
    scalars = osp.join(runner.log_dir, 'vis_data', 'scalars.json')
    return dict(config=config,
                scalars=scalars if osp.isfile(scalars) else None)


def _results(runner: Runner) -> dict:
    """The final validation metrics and the first and last training loss."""
    scalars = runner.message_hub.log_scalars
    metrics = {
        key[len('val/'):]: round(float(buffer.current()), 4)
        for key, buffer in scalars.items() if key.startswith('val/')
        and key not in ('val/time', 'val/data_time')
    }
    losses = scalars.get('train/loss')
    loss = dict(first=float(losses.data[0][0]),
                last=float(losses.current())) if losses else {}
    return dict(metrics=metrics, loss=loss)


def _describe(summary: dict) -> str:
    parts = [f'{key} {value:.2f}' for key, value in summary['metrics'].items()]
    if summary['loss']:
        parts.append(f'loss {summary["loss"]["first"]:.4f} -> '
                     f'{summary["loss"]["last"]:.4f}')
    return ', '.join(parts)


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f'{minutes}m{seconds:02d}s'


def _write_json(path: str, data: dict) -> None:
    """Write whole or not at all: a kill leaves the old file or none."""
    partial = f'{path}.partial'
    with open(partial, 'w') as f:
        json.dump(data, f, indent=2)
    os.replace(partial, path)
