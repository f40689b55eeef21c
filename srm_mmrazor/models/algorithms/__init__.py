from .srm_dictionary_learning import SRMDictionaryLearning
from .srm_intermediate_distill import SRMIntermediateDistill

__all__ = ['SRMDictionaryLearning', 'SRMIntermediateDistill']
