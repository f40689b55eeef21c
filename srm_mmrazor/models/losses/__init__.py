from .srm_losses import (SRMImageLevelLoss, SRMPixelLevelLoss,
                         SRMReconstructionLoss)

__all__ = ['SRMReconstructionLoss', 'SRMImageLevelLoss', 'SRMPixelLevelLoss']
