# SRM stage 2, what every pair shares on any data: the student's intermediate
# layers learn to predict the teacher's sparse codes (image and pixel level),
# from the frozen teacher and the frozen stage-1 coders. No class-label loss.
# A pair's stage-2 config fills in the models and its points:
#   model = dict(architecture=..., teacher=..., teacher_ckpt=...,
#                dictionary_ckpt=..., distiller=dict(teacher_recorders=...,
#                student_recorders=..., coders=..., heads=...))
# (_base_/srm/<pair>.py holds the points as `stage2_distiller`).
model = dict(
    _scope_='mmrazor',
    type='SRMIntermediateDistill',
    distiller=dict(
        type='SRMDistiller', objective='global-local', alignment=None))
