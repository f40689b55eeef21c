import math

import torch

from srm_mmrazor.models import (SRMImageLevelLoss, SRMPixelLevelLoss,
                                SRMReconstructionLoss)


def test_reconstruction_loss_is_weighted_mse():
    recon, feature = torch.randn(2, 3, 4, 4), torch.randn(2, 3, 4, 4)
    pairs = zip(recon.flatten().tolist(), feature.flatten().tolist())
    expected = sum((r - f)**2 for r, f in pairs)
    loss = SRMReconstructionLoss(loss_weight=0.5)(recon, feature)
    assert math.isclose(loss.item(), 0.5 * expected / recon.numel(),
                        rel_tol=1e-5)


def test_image_level_loss_is_weighted_bce():
    preds, labels = torch.rand(3, 5), torch.rand(3, 5)
    expected = -sum(
        y * math.log(p) + (1 - y) * math.log(1 - p)
        for p, y in zip(preds.flatten().tolist(), labels.flatten().tolist()))
    loss = SRMImageLevelLoss(loss_weight=2.0)(preds, labels)
    assert math.isclose(loss.item(), 2.0 * expected / preds.numel(),
                        rel_tol=1e-5)


def test_pixel_level_loss_is_weighted_cross_entropy_per_pixel():
    scores = torch.randn(2, 6, 3, 3)
    labels = torch.randint(0, 6, (2, 3, 3))
    total = 0.0
    for b in range(2):
        for i in range(3):
            for j in range(3):
                column = scores[b, :, i, j].tolist()
                log_sum = math.log(sum(math.exp(v) for v in column))
                total += log_sum - column[labels[b, i, j]]
    loss = SRMPixelLevelLoss(loss_weight=3.0)(scores, labels)
    assert math.isclose(loss.item(), 3.0 * total / 18, rel_tol=1e-5)
