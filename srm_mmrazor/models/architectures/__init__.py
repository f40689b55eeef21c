from .connectors import ALIGNMENTS, SparseCoder, SRMHead, align_spatial

__all__ = ['ALIGNMENTS', 'SparseCoder', 'SRMHead', 'align_spatial']
