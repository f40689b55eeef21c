"""Errors that say what went wrong and what to do instead. The tools print
them as one line, without a traceback."""
import pickle


class SRMError(Exception):
    """Base class of the errors below."""


class ConfigError(SRMError, ValueError):
    """A config or command line that cannot run."""


class DatasetNotFoundError(SRMError, FileNotFoundError):
    """The dataset files are not where the config says."""


class DatasetError(SRMError, ValueError):
    """Dataset files that are corrupt or disagree with each other."""


class CheckpointError(SRMError, RuntimeError):
    """A checkpoint that is missing, unreadable, unreachable or of another
    model."""


class CheckpointRefused(SRMError, pickle.UnpicklingError):
    """A checkpoint holds pickled objects the safe loader will not run."""


class NonFiniteLossError(SRMError, FloatingPointError):
    """Training produced a NaN or infinite loss."""
