from .algorithms import SRMDictionaryLearning, SRMIntermediateDistill
from .architectures import SparseCoder, SRMHead, align_spatial
from .data_preprocessors import ChannelsLastClsDataPreprocessor
from .distillers import SRMDistiller
from .losses import SRMImageLevelLoss, SRMPixelLevelLoss, SRMReconstructionLoss

__all__ = [
    'SparseCoder', 'SRMHead', 'align_spatial',
    'ChannelsLastClsDataPreprocessor', 'SRMDistiller',
    'SRMDictionaryLearning', 'SRMIntermediateDistill',
    'SRMReconstructionLoss', 'SRMImageLevelLoss', 'SRMPixelLevelLoss'
]
