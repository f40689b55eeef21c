from typing import Dict, List, Optional, Union

import torch
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement
from mmrazor.models.algorithms import BaseAlgorithm
from mmrazor.registry import MODELS

from ...errors import ConfigError
from ...utils import load_weights


@MODELS.register_module()
class SRMDictionaryLearning(BaseAlgorithm):
    """SRM stage 1: learn a sparse dictionary of the frozen teacher's feature
    maps at each matched point.

    Only the teacher runs (no student), without gradient and with its
    BatchNorm layers in eval mode, so its weights and statistics stay exactly
    as loaded; only the distiller's :class:`SparseCoder` s train.
    Validation and testing report the teacher's own predictions.

    Args:
        teacher (dict | BaseModel): The teacher model.
        distiller (dict): An :class:`SRMDistiller` with teacher recorders and
            coders.
        teacher_ckpt (str, optional): Teacher weights to load, strictly (a
            path or URL).
        **kwargs: ``data_preprocessor`` and ``init_cfg`` of
            :class:`BaseAlgorithm`.
    """

    def __init__(self,
                 teacher: Union[BaseModel, Dict],
                 distiller: dict,
                 teacher_ckpt: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(architecture=teacher, **kwargs)
        if teacher_ckpt:
            load_weights(self.teacher, teacher_ckpt, what='teacher')
            self.teacher._is_init = True  # keep init_weights off the weights
        self.teacher.requires_grad_(False)
        self.teacher.eval()
        self.distiller = MODELS.build(distiller)
        if self.distiller.heads:
            raise ConfigError(
                'SRMDictionaryLearning trains only the sparse coders: remove '
                "the distiller's heads (they belong to stage 2)")
        self.distiller.prepare_from_teacher(self.teacher)

    @property
    def teacher(self) -> BaseModel:
        return self.architecture

    def loss(self,
             batch_inputs: torch.Tensor,
             data_samples: Optional[List[BaseDataElement]] = None
             ) -> Dict[str, torch.Tensor]:
        with torch.no_grad(), self.distiller.teacher_recorders:
            self.teacher(batch_inputs, data_samples, mode='tensor')
        return self.distiller.compute_reconstruction_losses()

    def train(self, mode: bool = True) -> 'SRMDictionaryLearning':
        super().train(mode)
        self.teacher.eval()
        return self
