# Hinton KD's distiller, as MMRazor's kd_logits_* configs wire it: the
# KL divergence of the student's logits (its head.fc output) from the
# teacher's. A KD config sets the loss's tau and weight:
#   distiller=dict(_base_.kd_distiller, distill_losses=dict(
#       loss_kd=dict(type='KLDivergence', tau=1, loss_weight=5)))
kd_distiller = dict(
    type='ConfigurableDistiller',
    student_recorders=dict(
        logits=dict(type='ModuleOutputs', source='head.fc')),
    teacher_recorders=dict(
        logits=dict(type='ModuleOutputs', source='head.fc')),
    loss_forward_mappings=dict(
        loss_kd=dict(
            preds_S=dict(from_student=True, recorder='logits'),
            preds_T=dict(from_student=False, recorder='logits'))))
