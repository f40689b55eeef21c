"""Errors caused by what the user gave (config, files, data), each saying
what is wrong and what to do instead. The tools print them as one line."""
import pickle


class SRMInputError(Exception):
    """Base class: bad input, reported before training starts."""


class ConfigError(SRMInputError, ValueError):
    """A config or command line that cannot run."""


class DatasetNotFoundError(SRMInputError, FileNotFoundError):
    """The dataset files are not where the config says."""


class CheckpointError(SRMInputError, RuntimeError):
    """A checkpoint that is missing, unreadable or of another model."""


class CheckpointRefused(SRMInputError, pickle.UnpicklingError):
    """A checkpoint holds pickled objects the safe loader will not run."""
