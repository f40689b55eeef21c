from .algorithms import SRMDictionaryLearning, SRMIntermediateDistill
from .architectures import SparseCoder, SRMHead, align_spatial
from .distillers import SRMDistiller
from .losses import SRMImageLevelLoss, SRMPixelLevelLoss, SRMReconstructionLoss

__all__ = [
    'SparseCoder', 'SRMHead', 'align_spatial', 'SRMDistiller',
    'SRMDictionaryLearning', 'SRMIntermediateDistill',
    'SRMReconstructionLoss', 'SRMImageLevelLoss', 'SRMPixelLevelLoss'
]
