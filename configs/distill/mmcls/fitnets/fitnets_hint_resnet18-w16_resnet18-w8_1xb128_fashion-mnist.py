# FitNets, hint stage, on Fashion-MNIST: the student's middle layers learn to
# regress the teacher's through 1x1 ConvModule connectors (MMRazor L2Loss);
# the KD stage that follows is the KD config initialised from this one.
_base_ = [
    '../../../_base_/models/resnet18_cifar_fashion-mnist.py',
    '../../../_base_/datasets/fashion_mnist_bs128.py',
    '../../../_base_/schedules/fashion_mnist_bs128.py',
    '../../../_base_/default_runtime.py',
]

model = dict(
    _scope_='mmrazor',
    type='SingleTeacherDistill',
    architecture=_base_.student_model,
    teacher=_base_.teacher_model,
    teacher_ckpt=_base_.teacher_ckpt,
    calculate_student_loss=False,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            layer3=dict(type='ModuleOutputs', source='backbone.layer3'),
            layer4=dict(type='ModuleOutputs', source='backbone.layer4')),
        teacher_recorders=dict(
            layer3=dict(type='ModuleOutputs', source='backbone.layer3'),
            layer4=dict(type='ModuleOutputs', source='backbone.layer4')),
        connectors=dict(
            hint3=dict(
                type='ConvModuleConnector',
                in_channel=32,
                out_channel=64,
                norm_cfg=dict(type='BN')),
            hint4=dict(
                type='ConvModuleConnector',
                in_channel=64,
                out_channel=128,
                norm_cfg=dict(type='BN'))),
        distill_losses=dict(
            loss_hint3=dict(type='L2Loss', loss_weight=10),
            loss_hint4=dict(type='L2Loss', loss_weight=10)),
        loss_forward_mappings=dict(
            loss_hint3=dict(
                s_feature=dict(
                    from_student=True, recorder='layer3', connector='hint3'),
                t_feature=dict(from_student=False, recorder='layer3')),
            loss_hint4=dict(
                s_feature=dict(
                    from_student=True, recorder='layer4', connector='hint4'),
                t_feature=dict(from_student=False, recorder='layer4')))))
# the student's classifier gets no gradient in this stage
find_unused_parameters = True

train_cfg = dict(max_epochs=1)
param_scheduler = dict(end=1)
# The student's classifier is not trained yet: nothing to validate.
val_cfg = val_dataloader = val_evaluator = None
test_cfg = test_dataloader = test_evaluator = None
