from typing import Optional

from mmengine.runner.checkpoint import _load_checkpoint
from mmrazor.models import SingleTeacherDistill
from mmrazor.registry import MODELS

from ...errors import CheckpointError

CODERS_PREFIX = 'distiller.coders.'


@MODELS.register_module()
class SRMIntermediateDistill(SingleTeacherDistill):
    """SRM stage 2: the student's intermediate layers learn to predict the
    teacher's sparse codes, made by the frozen teacher and the frozen
    stage-1 :class:`SparseCoder` s.

    The student (backbone and the distiller's :class:`SRMHead` s) trains on
    the SRM losses alone: no class-label loss. The teacher stays in eval
    mode throughout, so its BatchNorm statistics never move.

    Args:
        dictionary_ckpt (str, optional): The stage-1 checkpoint whose
            ``distiller.coders.*`` weights the coders load (strictly).
        calculate_student_loss (bool): Add the student's own task loss.
            Defaults to False, as in SRM.
        **kwargs: Arguments of :class:`SingleTeacherDistill` (``architecture``
            = student, ``teacher``, ``teacher_ckpt``, ``distiller``, ...).
    """

    def __init__(self,
                 dictionary_ckpt: Optional[str] = None,
                 calculate_student_loss: bool = False,
                 **kwargs) -> None:
        super().__init__(
            calculate_student_loss=calculate_student_loss, **kwargs)
        coders = self.distiller.coders
        if dictionary_ckpt:
            state_dict = _load_checkpoint(
                dictionary_ckpt, map_location='cpu').get('state_dict', {})
            coder_weights = {
                key[len(CODERS_PREFIX):]: value
                for key, value in state_dict.items()
                if key.startswith(CODERS_PREFIX)
            }
            missing = sorted(set(coders.state_dict()) - set(coder_weights))
            if missing:
                raise CheckpointError(
                    f'{dictionary_ckpt} lacks the sparse coders '
                    f'{missing} (keys {CODERS_PREFIX}*): give the '
                    'checkpoint of the SRM stage-1 (dictionary learning) '
                    'run with the same points')
            coders.load_state_dict(coder_weights, strict=True)
        coders.requires_grad_(False)
        self.teacher.eval()

    def train(self, mode: bool = True) -> 'SRMIntermediateDistill':
        super().train(mode)
        self.teacher.eval()
        return self
