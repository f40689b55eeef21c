"""The SRM losses, MMRazor-style modules that each apply their own
``loss_weight``; :class:`SRMDistiller` calls them with each point's
predictions and labels."""
import math

import torch.nn.functional as F
from mmrazor.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class SRMReconstructionLoss(nn.Module):
    """Stage 1: mean squared error between a teacher feature map and its
    sparse reconstruction.

    Args:
        loss_weight (float): Weight of the loss. Defaults to 1.0.
    """

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, reconstruction: Tensor, feature: Tensor) -> Tensor:
        """
        Args:
            reconstruction (Tensor): D S, shape (N, C, H, W).
            feature (Tensor): The teacher feature map X, shape (N, C, H, W).
        """
        return self.loss_weight * F.mse_loss(reconstruction, feature)


@MODELS.register_module()
class SRMImageLevelLoss(nn.Module):
    """Stage 2, image level: binary cross-entropy between the student's
    predicted atom usage and the teacher's (both in [0, 1]).

    Args:
        loss_weight (float): Weight of the loss. Defaults to 1.0.
    """

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, preds_S: Tensor, labels_T: Tensor) -> Tensor:
        """
        Args:
            preds_S (Tensor): Student image-level prediction, shape (N, K).
            labels_T (Tensor): Teacher image-level label, shape (N, K).
        """
        # The value of F.binary_cross_entropy (logs clamped near -100),
        # written out: that function refuses float16 under autocast and
        # raises on NaN, where this returns the NaN that CheckFiniteLossHook
        # reports. Clamping before the log keeps the gradient finite (zero)
        # where p is exactly 0 or 1.
        p, y = preds_S.float(), labels_T.float()
        tiny = math.exp(-100)
        loss = -(y * p.clamp(min=tiny).log() +
                 (1 - y) * (1 - p).clamp(min=tiny).log()).mean()
        return self.loss_weight * loss


@MODELS.register_module()
class SRMPixelLevelLoss(nn.Module):
    """Stage 2, pixel level: cross-entropy over the K atoms at every pixel
    against the teacher's strongest atom.

    Args:
        loss_weight (float): Weight of the loss. Defaults to 1.0.
    """

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, scores_S: Tensor, labels_T: Tensor) -> Tensor:
        """
        Args:
            scores_S (Tensor): Student pixel scores, shape (N, K, H, W).
            labels_T (Tensor): Teacher pixel labels (atom indices), shape
                (N, H, W).
        """
        return self.loss_weight * F.cross_entropy(scores_S, labels_T)
