"""SRM (Sparse Representation Matching) knowledge distillation for MMRazor.

Importing the package applies the fixes of :mod:`srm_mmrazor.compat`, routes
mmengine's checkpoint loading and saving through
:mod:`srm_mmrazor.utils.checkpoint` and registers the plugin's datasets and
models in the OpenMMLab registries, so configs reach it with
``custom_imports = dict(imports=['srm_mmrazor'])``.
"""
from . import compat

compat.apply()

from .utils import checkpoint  # noqa: E402

checkpoint.install()

from . import datasets, engine, models  # noqa: E402,F401

__version__ = '0.1.0'
