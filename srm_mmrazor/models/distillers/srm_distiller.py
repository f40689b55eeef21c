import difflib
from typing import Dict, Optional

import torch
from mmrazor.models.distillers.base_distiller import BaseDistiller
from mmrazor.models.task_modules import (DistillDeliveryManager,
                                         RecorderManager)
from mmrazor.registry import MODELS
from torch import Tensor, nn

from ...errors import ConfigError
from ..architectures import ALIGNMENTS, align_spatial

OBJECTIVES = ('global-local', 'global', 'local')


@MODELS.register_module()
class SRMDistiller(BaseDistiller):
    """Wires SRM's matched points: MMRazor recorders on named teacher and
    student layers, a :class:`SparseCoder` per teacher point and an
    :class:`SRMHead` per student point, all keyed by the point's name, and
    computes SRM's losses from them. It offers what MMRazor's
    ``SingleTeacherDistill`` calls on a distiller (the recorders, their
    preparation, deliveries, which SRM has none of); SRM's losses need no
    ``distill_losses``, ``connectors`` or ``loss_forward_mappings``.

    Stage 1 (:meth:`compute_reconstruction_losses`) needs teacher recorders
    and coders; stage 2 (:meth:`compute_distill_losses`) also student
    recorders and heads. Stage 2 makes each point's teacher labels once per
    batch, without gradient.

    Args:
        teacher_recorders (dict): Point name -> recorder config (e.g.
            ``dict(type='ModuleOutputs', source='backbone.layer2')``).
        coders (dict): Point name -> :class:`SparseCoder` config. Each name
            must also name a teacher recorder.
        student_recorders (dict, optional): Point name -> recorder config,
            for stage 2.
        heads (dict, optional): Point name -> :class:`SRMHead` config, for
            stage 2: the same names as ``coders``, each also a student
            recorder. ``num_codewords`` defaults to the coder's K.
        objective (str): ``'global-local'`` (image- and pixel-level losses,
            default), ``'global'`` (image level only) or ``'local'`` (pixel
            level only).
        alignment (str, optional): How a teacher map and a student map of
            different H x W are aligned: ``'pool'`` or ``'interpolate'``
            (see :func:`align_spatial`). Defaults to None: sizes must match.
        reconstruction_loss (dict): Stage-1 loss config.
        image_loss (dict): Stage-2 image-level loss config.
        pixel_loss (dict): Stage-2 pixel-level loss config.
        init_cfg (dict, optional): Of :class:`BaseDistiller`.
    """

    def __init__(self,
                 teacher_recorders: Dict[str, dict],
                 coders: Dict[str, dict],
                 student_recorders: Optional[Dict[str, dict]] = None,
                 heads: Optional[Dict[str, dict]] = None,
                 objective: str = 'global-local',
                 alignment: Optional[str] = None,
                 reconstruction_loss: dict = dict(type='SRMReconstructionLoss'),
                 image_loss: dict = dict(type='SRMImageLevelLoss'),
                 pixel_loss: dict = dict(type='SRMPixelLevelLoss'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg)
        self.teacher_recorders = RecorderManager(teacher_recorders)
        self.student_recorders = RecorderManager(student_recorders)
        self.deliveries = DistillDeliveryManager()
        if objective not in OBJECTIVES:
            raise ConfigError(f'SRMDistiller: objective={objective!r} is '
                              f'unknown; use one of {OBJECTIVES}')
        if alignment not in (None, *ALIGNMENTS):
            raise ConfigError(f'SRMDistiller: alignment={alignment!r} is '
                              f'unknown; use None or one of {ALIGNMENTS}')
        self.objective = objective
        self.alignment = alignment
        _check_points('coders', coders, 'teacher_recorders',
                      self.teacher_recorders.recorders)
        self.coders = nn.ModuleDict(
            {point: MODELS.build(cfg) for point, cfg in coders.items()})
        self.heads = nn.ModuleDict()
        if heads:
            if set(heads) != set(coders):
                raise ConfigError(
                    f'SRMDistiller: heads {sorted(heads)} and coders '
                    f'{sorted(coders)} must name the same points')
            _check_points('heads', heads, 'student_recorders',
                          self.student_recorders.recorders)
            for point, cfg in heads.items():
                cfg = dict(cfg)
                cfg.setdefault('num_codewords',
                               self.coders[point].num_codewords)
                self.heads[point] = MODELS.build(cfg)
        self.reconstruction_loss = MODELS.build(reconstruction_loss)
        self.image_loss = MODELS.build(image_loss)
        self.pixel_loss = MODELS.build(pixel_loss)

    def prepare_from_teacher(self, model: nn.Module) -> None:
        _check_sources(self.teacher_recorders.recorders, model, 'teacher')
        self.teacher_recorders.initialize(model)

    def prepare_from_student(self, model: nn.Module) -> None:
        _check_sources(self.student_recorders.recorders, model, 'student')
        self.student_recorders.initialize(model)

    def set_deliveries_override(self, override: bool) -> None:
        self.deliveries.override_data = override

    def feature(self, point: str, from_student: bool) -> Tensor:
        """The recorded map of ``point`` as [N, C, H, W] ([N, C] -> 1 x 1)."""
        recorders = (self.student_recorders
                     if from_student else self.teacher_recorders)
        recorder = recorders.get_recorder(point)
        feature = recorder.get_record_data()
        if not isinstance(feature, Tensor) or feature.dim() not in (2, 4):
            raise ConfigError(
                f'SRM point {point!r}: {recorder.source!r} outputs '
                f'{_describe(feature)}, not a feature map [N, C, H, W] or a '
                "pooled [N, C]; record another module (e.g. 'neck.gap' "
                "rather than 'neck')")
        if feature.dim() == 2:
            feature = feature[:, :, None, None]
        expected = (self.heads[point] if from_student else
                    self.coders[point]).in_channels
        if feature.shape[1] != expected:
            side = 'SRMHead' if from_student else 'SparseCoder'
            raise ConfigError(
                f'SRM point {point!r}: {recorder.source!r} has '
                f'{feature.shape[1]} channels but its {side} has '
                f'in_channels={expected}')
        return feature

    def compute_reconstruction_losses(self) -> Dict[str, Tensor]:
        """Stage 1: MSE between each teacher map and its reconstruction."""
        losses = dict()
        for point, coder in self.coders.items():
            feature = self.feature(point, from_student=False)
            losses[f'loss_reconstruction_{point}'] = self.reconstruction_loss(
                coder(feature), feature)
        return losses

    def compute_distill_losses(self) -> Dict[str, Tensor]:
        """Stage 2: each student head predicts its teacher point's codes."""
        losses = dict()
        for point, coder in self.coders.items():
            teacher = self.feature(point, from_student=False)
            student = self.feature(point, from_student=True)
            try:
                teacher, student = align_spatial(teacher, student,
                                                 self.alignment)
            except ConfigError as error:
                raise ConfigError(f'SRM point {point!r}: {error}') from None
            with torch.no_grad():
                image_label, pixel_label = coder.labels(teacher)
            image_pred, pixel_scores = self.heads[point](student)
            if self.objective != 'local':
                losses[f'loss_image_{point}'] = self.image_loss(
                    image_pred, image_label)
            if self.objective != 'global':
                losses[f'loss_pixel_{point}'] = self.pixel_loss(
                    pixel_scores, pixel_label)
        return losses


def _check_points(kind: str, points: dict, recorders_name: str,
                  recorders: dict) -> None:
    missing = sorted(set(points) - set(recorders))
    if missing:
        raise ConfigError(
            f'SRMDistiller: {kind} {missing} have no recorder of the same '
            f'name in {recorders_name} (which has {sorted(recorders)})')
    sources = [recorders[point].source for point in points]
    duplicates = sorted({s for s in sources if sources.count(s) > 1})
    if duplicates:
        raise ConfigError(
            f'SRMDistiller: several points of {kind} record the same layer '
            f'{duplicates}; match each layer once')


def _check_sources(recorders: dict, model: nn.Module, side: str) -> None:
    """Every recorder source must be a module of the model; the error lists
    the nearest real names."""
    names = [name for name, _ in model.named_modules() if name]
    for point, recorder in recorders.items():
        if recorder.source not in names:
            nearest = difflib.get_close_matches(
                recorder.source, names, n=5, cutoff=0.5)
            raise ConfigError(
                f'{side} recorder {point!r}: {recorder.source!r} is not a '
                f'module of the {side}; nearest names: '
                f'{", ".join(nearest) or "(none)"}')


def _describe(value) -> str:
    if isinstance(value, Tensor):
        return f'a tensor of shape {tuple(value.shape)}'
    return f'a {type(value).__name__}'
