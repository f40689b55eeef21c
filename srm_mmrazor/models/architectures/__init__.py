from .connectors import SparseCoder, SRMHead, align_spatial

__all__ = ['SparseCoder', 'SRMHead', 'align_spatial']
