"""The SRM math: a sparse coder of teacher feature maps, a student head that
predicts the codes, and spatial alignment of the two maps.

Shapes: N images, C_T / C_S teacher / student channels, K codewords (atoms),
H x W pixels of a feature map.
"""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmrazor.registry import MODELS
from torch import Tensor, nn

from ...errors import ConfigError

ALIGNMENTS = ('pool', 'interpolate')


def _codeword_projection(in_channels: int, num_codewords: int):
    """A projection matrix [in_channels, K] (kaiming-uniform, as the reference
    initialises it) and one scalar intercept shared by all K codewords
    (uniform in [-1, 1])."""
    weight = nn.Parameter(torch.empty(in_channels, num_codewords))
    nn.init.kaiming_uniform_(weight)
    intercept = nn.Parameter(torch.empty(1).uniform_(-1.0, 1.0))
    return weight, intercept


def _project(x: Tensor, weight: Tensor, intercept: Tensor) -> Tensor:
    """[N, C, H, W] x [C, K] -> [N, K, H, W]: W^T x_ij + b at every pixel."""
    return torch.einsum('nchw,ck->nkhw', x, weight) + intercept


@MODELS.register_module()
class SparseCoder(BaseModule):
    """Sparse representation of a teacher feature map (SRM stage 1).

    Each pixel x_ij (C values) is encoded on a dictionary D of K atoms:
    a_ij = sigmoid(D^T x_ij + b), kept sparse by zeroing all but its k
    largest entries (S_ij), and decoded with the same dictionary:
    x^_ij = D S_ij.

    Args:
        in_channels (int): Channels C of the teacher feature map.
        codeword_multiplier (float, optional): K = int(codeword_multiplier *
            C). Defaults to None: 2.0 (4.0 in the paper's ImageNet runs),
            unless ``num_codewords`` is given.
        num_codewords (int, optional): K itself, in place of
            ``codeword_multiplier`` (give one of the two). Defaults to None.
        sparsity_multiplier (float): Fraction of the K atoms kept per pixel,
            in (0, 1]: k = max(1, int(sparsity_multiplier * K)).
            Defaults to 0.02.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 in_channels: int,
                 codeword_multiplier: Optional[float] = None,
                 sparsity_multiplier: float = 0.02,
                 num_codewords: Optional[int] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg)
        if num_codewords is not None and codeword_multiplier is not None:
            raise ConfigError(
                f'SparseCoder: give num_codewords ({num_codewords}) or '
                f'codeword_multiplier ({codeword_multiplier}), not both: set '
                'the other to None')
        if num_codewords is None:
            if codeword_multiplier is None:
                codeword_multiplier = 2.0
            num_codewords = int(codeword_multiplier * in_channels)
            if num_codewords < 1:
                raise ConfigError(
                    f'SparseCoder: codeword_multiplier={codeword_multiplier} '
                    f'with in_channels={in_channels} gives K={num_codewords} '
                    'codewords; K must be at least 1')
        elif not isinstance(num_codewords, int) or num_codewords < 1:
            raise ConfigError(
                f'SparseCoder: num_codewords={num_codewords!r} is K, the '
                'number of codewords, and must be a whole number of at '
                'least 1 (or give codeword_multiplier instead)')
        if not 0 < sparsity_multiplier <= 1:
            raise ConfigError(
                f'SparseCoder: sparsity_multiplier={sparsity_multiplier} is '
                'the fraction of codewords kept per pixel and must be in '
                '(0, 1], e.g. 0.02')
        self.in_channels = in_channels
        self.num_codewords = num_codewords
        self.sparsity = max(1, int(sparsity_multiplier * num_codewords))
        self.dictionary, self.intercept = _codeword_projection(
            in_channels, num_codewords)

    def activations(self, x: Tensor) -> Tensor:
        """[N, C, H, W] -> a: [N, K, H, W] in (0, 1)."""
        return torch.sigmoid(_project(x, self.dictionary, self.intercept))

    def sparsify(self, a: Tensor) -> Tensor:
        """a: [N, K, H, W] -> S: the k largest entries of each pixel kept
        (and any tied with the k-th), the others zero."""
        kth_largest = a.topk(self.sparsity, dim=1).values[:, -1:]  # [N,1,H,W]
        return a * (a >= kth_largest)

    def encode(self, x: Tensor) -> Tensor:
        """[N, C, H, W] -> S: [N, K, H, W], k non-zeros per pixel."""
        return self.sparsify(self.activations(x))

    def forward(self, x: Tensor) -> Tensor:
        """Reconstruction D S: [N, C, H, W] -> [N, C, H, W]."""
        return torch.einsum('nkhw,ck->nchw', self.encode(x), self.dictionary)

    def labels(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        """The teacher's SRM labels for the student (stage 2).

        Returns:
            tuple: image-level label [N, K] (float, spatial mean of S: how
            much each atom is used) and pixel-level label [N, H, W] (long,
            the strongest atom of each pixel).
        """
        a = self.activations(x)
        return self.sparsify(a).mean(dim=(2, 3)), a.argmax(dim=1)


@MODELS.register_module()
class SRMHead(BaseModule):
    """Student head of one matched point (SRM stage 2): predicts the teacher's
    sparse codes from the student feature map.

    p_ij = sigmoid(P^T z_ij + c) for every pixel z_ij (a 1x1 convolution with
    one scalar intercept); the image-level prediction is the mean of p over
    pixels. No top-k on the student side.

    Args:
        in_channels (int): Channels C_S of the student feature map.
        num_codewords (int): K, the teacher coder's number of codewords.
        pixel_mode (str): What the pixel-level cross-entropy sees:
            ``'faithful'`` (default) the sigmoid outputs p, as the reference
            code does; ``'logits'`` the pre-sigmoid scores P^T z + c, the
            textbook choice (sharper gradients for the winning atom).
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    PIXEL_MODES = ('faithful', 'logits')

    def __init__(self,
                 in_channels: int,
                 num_codewords: int,
                 pixel_mode: str = 'faithful',
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg)
        if pixel_mode not in self.PIXEL_MODES:
            raise ConfigError(
                f'SRMHead: pixel_mode={pixel_mode!r} is unknown; use one of '
                f'{self.PIXEL_MODES}')
        self.in_channels = in_channels
        self.num_codewords = num_codewords
        self.pixel_mode = pixel_mode
        self.projection, self.intercept = _codeword_projection(
            in_channels, num_codewords)

    def forward(self, z: Tensor) -> Tuple[Tensor, Tensor]:
        """[N, C_S, H, W] -> image-level prediction [N, K] in (0, 1) and
        pixel-level scores [N, K, H, W] for the cross-entropy."""
        scores = _project(z, self.projection, self.intercept)
        p = torch.sigmoid(scores)
        pixel_scores = p if self.pixel_mode == 'faithful' else scores
        return p.mean(dim=(2, 3)), pixel_scores


def align_spatial(teacher: Tensor, student: Tensor,
                  alignment: Optional[str]) -> Tuple[Tensor, Tensor]:
    """Bring a teacher map [N, C_T, H_T, W_T] and a student map
    [N, C_S, H_S, W_S] to one H x W.

    ``'pool'`` average-pools the larger map down to the smaller one;
    ``'interpolate'`` resizes the student map (bilinear) to the teacher's, so
    the labels keep the teacher's resolution. ``None`` requires equal sizes.
    """
    teacher_size, student_size = teacher.shape[2:], student.shape[2:]
    if teacher_size == student_size:
        return teacher, student
    if alignment == 'pool':
        size = torch.Size(map(min, teacher_size, student_size))
        return tuple(
            m if m.shape[2:] == size else F.adaptive_avg_pool2d(m, size)
            for m in (teacher, student))
    if alignment == 'interpolate':
        return teacher, F.interpolate(
            student, size=teacher_size, mode='bilinear', align_corners=False)
    raise ConfigError(
        f'teacher map {tuple(teacher.shape[1:])} and student map '
        f'{tuple(student.shape[1:])} (C x H x W) differ in H x W; set '
        f"alignment to one of {ALIGNMENTS} or match other layers")
