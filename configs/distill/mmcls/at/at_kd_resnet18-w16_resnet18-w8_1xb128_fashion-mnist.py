# Attention transfer plus Hinton KD on Fashion-MNIST: MMRazor's ATLoss
# (weight 1000, as in the AT and CRD papers) on the stride-matched layers of
# SRM's points, added to the KD config's losses.
_base_ = ['../kd/kd_logits_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py']

points = ('layer2', 'layer3', 'layer4')  # the same H x W in both

model = dict(
    distiller=dict(
        student_recorders={
            p: dict(type='ModuleOutputs', source=f'backbone.{p}')
            for p in points
        },
        teacher_recorders={
            p: dict(type='ModuleOutputs', source=f'backbone.{p}')
            for p in points
        },
        distill_losses={
            f'loss_at_{p}': dict(type='ATLoss', loss_weight=1000)
            for p in points
        },
        loss_forward_mappings={
            f'loss_at_{p}': dict(
                s_feature=dict(from_student=True, recorder=p),
                t_feature=dict(from_student=False, recorder=p))
            for p in points
        }))
