"""What ``tools/train.py`` and ``tools/test.py`` share: the OpenMMLab
command-line flags and turning them into a ready config."""
import argparse
import difflib
import fcntl
import os
import os.path as osp

from mmengine.config import Config, DictAction

from .. import compat
from ..errors import ConfigError
from .checkpoint import trust_checkpoints


class OptionsAction(DictAction):
    """mmengine's ``--cfg-options`` parsing, with a usage error for an
    option that is not ``KEY=VALUE``, and the spaces of a plain value (a
    path) kept: mmengine removes every space of a value."""

    def __call__(self, parser, namespace, values, option_string=None):
        for option in values:
            if '=' not in option:
                parser.error(f'{option_string} {option!r}: write KEY=VALUE, '
                             'e.g. train_cfg.max_epochs=1')
        super().__call__(parser, namespace, values, option_string)
        options = getattr(namespace, self.dest)
        for option in values:
            key, value = option.split('=', maxsplit=1)
            value = value.strip('\'"')
            if ' ' in value and ',' not in value and value[:1] not in '[(':
                options[key] = self._parse_int_float_bool(value)


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """Flags every tool takes, spelled as in MMRazor and mmpretrain."""
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    add_config_args(parser)
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    # torch.distributed.launch passes --local-rank since torch 2.0, older
    # launchers --local_rank
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def add_config_args(parser: argparse.ArgumentParser) -> None:
    """The flags :func:`load_config` applies to a config; alone, for a tool
    that reads a config in one process and trains nothing."""
    parser.set_defaults(work_dir=None, launcher='none', local_rank=0)
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=OptionsAction,
        help='override settings of the config, key=value pairs in xxx=yyy '
        'format, e.g. train_cfg.max_epochs=1 or key="[a,b]"')
    parser.add_argument(
        '--trust-checkpoint',
        action='append',
        default=[],
        metavar='PATH_OR_URL',
        help='fully unpickle this checkpoint (repeatable; a config can list '
        'them in trusted_checkpoints = [...]). Checkpoints are otherwise '
        'loaded weights-only; use this only for files you trust')


def _check_option_keys(cfg: dict, options: dict) -> None:
    """An option whose key is not in the config but is one letter or so
    away from a key beside it is a typo: mmengine would add it silently."""
    for key in options:
        node, parts = cfg, key.split('.')
        for depth, part in enumerate(parts):
            if not isinstance(node, dict) or '.'.join(parts[depth:]) in node:
                break  # a list index, a value, or a dotted key of cfg_options
            if part not in node:
                near = difflib.get_close_matches(
                    part, [k for k in node
                           if isinstance(k, str) and '.' not in k], n=1,
                    cutoff=0.8)
                if near:
                    raise ConfigError(
                        f'--cfg-options {key}: the config has no '
                        f'{".".join(parts[:depth + 1])}; did you mean '
                        f'{".".join(parts[:depth] + near)}?')
                break  # a new key
            node = node[part]


def check_writable(work_dir: str) -> None:
    """The work dir can be created (or written): its first existing folder
    up the path is a folder we may write in."""
    existing = osp.abspath(work_dir)
    while not osp.exists(existing):
        existing = osp.dirname(existing)
    if not osp.isdir(existing):
        raise ConfigError(f'work dir {work_dir}: {existing} is a file, not a '
                          'folder; give another --work-dir')
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(f'work dir {work_dir}: {existing} is not writable; '
                          'give another --work-dir')


def load_config(args: argparse.Namespace) -> Config:
    """Read ``args.config``, apply the common flags and return it. The
    checkpoints that ``--trust-checkpoint`` and the config's
    ``trusted_checkpoints`` name are trusted from here on."""
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    if not osp.isfile(args.config):
        raise ConfigError(f'config file not found: {args.config}')
    try:
        cfg = Config.fromfile(args.config)
    except SyntaxError as error:
        raise ConfigError(f'{args.config} (or a file it inherits) has a '
                          f'syntax error: {error}') from None
    if args.cfg_options is not None:
        _check_option_keys(cfg.to_dict(), args.cfg_options)
        try:
            cfg.merge_from_dict(args.cfg_options)
        except (TypeError, KeyError) as error:
            raise ConfigError(f'--cfg-options cannot be applied: {error}')
    trust_checkpoints(args.trust_checkpoint)
    trust_checkpoints(cfg.get('trusted_checkpoints') or [])
    cfg.launcher = args.launcher
    # work_dir: command line > config > ./work_dirs/<config name>
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    check_writable(cfg.work_dir)
    compat.adapt_cfg_to_cpu_distributed(cfg)
    return cfg


_locks = {}  # work dir -> its open lock file: held until the process exits


def lock_work_dir(work_dir: str, hold: bool = True) -> None:
    """Hold ``work_dir`` for this run (in a distributed run, its first
    process) until the process exits; another run training there stops
    with an error. The lock ends with the process, however it ends. With
    ``hold=False``, only raise if another run holds it (changing nothing)."""
    work_dir = osp.abspath(work_dir)
    path = osp.join(work_dir, '.lock')
    if (int(os.environ.get('RANK', '0')) != 0 or work_dir in _locks
            or not hold and not osp.isfile(path)):
        return
    os.makedirs(work_dir, exist_ok=True)
    lock = open(path, 'a')
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise ConfigError(
            f'another run is training in {work_dir}: wait for it to end, or '
            'give this one another --work-dir') from None
    if hold:
        _locks[work_dir] = lock
    else:
        lock.close()


def release_work_dirs() -> None:
    """Let go of every work dir this process holds: for a process that runs
    one training after another, once a training has returned."""
    while _locks:
        _locks.popitem()[1].close()
