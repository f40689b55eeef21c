from .srm_distiller import SRMDistiller

__all__ = ['SRMDistiller']
