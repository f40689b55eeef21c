from mmrazor.engine import SingleTeacherDistillValLoop
from mmrazor.registry import LOOPS


@LOOPS.register_module()
class FrozenTeacherDistillValLoop(SingleTeacherDistillValLoop):
    """MMRazor's ``SingleTeacherDistillValLoop`` (the student's metrics and
    the teacher's, as ``teacher.<metric>``) that validates a frozen teacher
    only once: its metrics cannot change while the student trains, and each
    pass of the teacher over the validation set costs a distillation run as
    much as the student's.

    The teacher is frozen when the algorithm neither trains it nor lets its
    normalization layers update their statistics (``teacher_trainable=False``
    and ``teacher_norm_eval=True``, ``SingleTeacherDistill``'s defaults);
    otherwise every validation runs it again, as MMRazor's loop does.
    """

    def __init__(self, runner, dataloader, evaluator, fp16=False) -> None:
        super().__init__(runner, dataloader, evaluator, fp16)
        model = runner.model.module if runner.distributed else runner.model
        self.teacher_frozen = (not getattr(model, 'teacher_trainable', True)
                               and getattr(model, 'teacher_norm_eval', False))
        self.teacher_metrics = None

    def run(self) -> dict:
        """Validate the student, and the teacher unless frozen and done."""
        self.runner.call_hook('before_val')
        self.runner.call_hook('before_val_epoch')
        self.runner.model.eval()
        for idx, data_batch in enumerate(self.dataloader):
            self.run_iter(idx, data_batch)
        metrics = self.evaluator.evaluate(len(self.dataloader.dataset))
        if self.teacher_metrics is None or not self.teacher_frozen:
            self.runner.call_hook('before_val_epoch')
            for idx, data_batch in enumerate(self.dataloader):
                self.run_iter_teacher(idx, data_batch)
            self.teacher_metrics = {
                f'teacher.{key}': value for key, value in
                self.evaluator.evaluate(len(self.dataloader.dataset)).items()
            }
        metrics.update(self.teacher_metrics)
        self.runner.call_hook('after_val_epoch', metrics=metrics)
        self.runner.call_hook('after_val')
        return metrics
