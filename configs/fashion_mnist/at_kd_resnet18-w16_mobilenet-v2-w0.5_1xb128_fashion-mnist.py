# Attention transfer plus Hinton KD on Fashion-MNIST: MMRazor's ATLoss
# (weight 1000, as in the AT and CRD papers) on the stride-matched layers of
# SRM's points, added to the KD config's losses.
_base_ = ['./kd_logits_resnet18-w16_mobilenet-v2-w0.5_1xb128_fashion-mnist.py']

points = dict(  # teacher layer -> student layer of the same H x W
    layer2='layer1', layer3='layer2', layer4='layer3')

model = dict(
    distiller=dict(
        student_recorders={
            t: dict(type='ModuleOutputs', source=f'backbone.{s}')
            for t, s in points.items()
        },
        teacher_recorders={
            t: dict(type='ModuleOutputs', source=f'backbone.{t}')
            for t in points
        },
        distill_losses={
            f'loss_at_{t}': dict(type='ATLoss', loss_weight=1000)
            for t in points
        },
        loss_forward_mappings={
            f'loss_at_{t}': dict(
                s_feature=dict(from_student=True, recorder=t),
                t_feature=dict(from_student=False, recorder=t))
            for t in points
        }))
