# SRM stage 1, what every pair shares on any data: learn a sparse dictionary
# of the frozen teacher's feature maps at each matched point. A pair's
# stage-1 config fills in the teacher and the teacher side of its points:
#   model = dict(teacher=..., teacher_ckpt=...,
#                distiller=dict(teacher_recorders=..., coders=...))
# (_base_/srm/<pair>.py holds the teacher side as `stage1_distiller`).
model = dict(
    _scope_='mmrazor',
    type='SRMDictionaryLearning',
    distiller=dict(type='SRMDistiller'))
