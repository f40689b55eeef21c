from typing import Optional

from mmrazor.models import SingleTeacherDistill
from mmrazor.registry import MODELS

from ...errors import ConfigError
from ...utils import load_weights


@MODELS.register_module()
class SRMIntermediateDistill(SingleTeacherDistill):
    """SRM stage 2: the student's intermediate layers learn to predict the
    teacher's sparse codes, made by the frozen teacher and the frozen
    stage-1 :class:`SparseCoder` s.

    The student (backbone and the distiller's :class:`SRMHead` s) trains on
    the SRM losses alone: no class-label loss, so its classifier stays
    frozen. The teacher stays in eval mode throughout, so its BatchNorm
    statistics never move.

    Args:
        teacher_ckpt (str, optional): Teacher weights to load, strictly (a
            path or URL).
        dictionary_ckpt (str, optional): The stage-1 checkpoint whose
            ``distiller.coders.*`` weights the coders load, strictly.
        calculate_student_loss (bool): Add the student's own task loss.
            Defaults to False, as in SRM.
        **kwargs: Arguments of :class:`SingleTeacherDistill` (``architecture``
            = student, ``teacher``, ``distiller``, ...).
    """

    def __init__(self,
                 teacher_ckpt: Optional[str] = None,
                 dictionary_ckpt: Optional[str] = None,
                 calculate_student_loss: bool = False,
                 **kwargs) -> None:
        super().__init__(
            calculate_student_loss=calculate_student_loss, **kwargs)
        if not self.distiller.heads:
            raise ConfigError(
                'SRMIntermediateDistill needs the distiller\'s heads (one '
                'SRMHead per matched point) and student_recorders')
        if not calculate_student_loss and hasattr(self.student, 'head'):
            # no loss reaches the classifier: frozen, DDP needs no
            # find_unused_parameters
            self.student.head.requires_grad_(False)
        if teacher_ckpt:
            load_weights(self.teacher, teacher_ckpt, what='teacher')
            self.teacher._is_init = True  # keep init_weights off the weights
        coders = self.distiller.coders
        if dictionary_ckpt:
            load_weights(
                coders,
                dictionary_ckpt,
                prefix='distiller.coders.',
                what='sparse coders (distiller.coders.*) of this stage')
        coders.requires_grad_(False)
        self.teacher.eval()

    def train(self, mode: bool = True) -> 'SRMIntermediateDistill':
        super().train(mode)
        self.teacher.eval()
        return self
