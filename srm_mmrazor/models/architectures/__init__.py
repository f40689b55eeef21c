from .sparse_representation import (ALIGNMENTS, SparseCoder, SRMHead,
                                    align_spatial)

__all__ = ['ALIGNMENTS', 'SparseCoder', 'SRMHead', 'align_spatial']
