# SRM on Fashion-MNIST, end to end: the teacher, the three SRM stages and, for
# comparison, the student alone on the student budget of SRM (stages 2 + 3).
#   python tools/train.py configs/fashion_mnist/srm_resnet18-w16_\
#   mobilenet-v2-w0.5_1xb128_fashion-mnist.py      (what `make demo` runs)
# Each stage is a normal config (the *_stage{1,2,3}.py files beside this one,
# also usable alone); this file orders them and hands checkpoints on.
runner_type = 'mmrazor.MultiStageRunner'
custom_imports = dict(imports=['srm_mmrazor'], allow_failed_imports=False)


def epochs(n):
    return {'train_cfg.max_epochs': n, 'param_scheduler.end': n}


stages = dict(
    teacher=dict(
        title='teacher (ResNet-18 w16)',
        config='resnet18-w16_1xb128_fashion-mnist.py',
        cfg_options=epochs(2)),
    student=dict(
        title='student alone (MobileNetV2 w0.5)',
        config='mobilenet-v2-w0.5_1xb128_fashion-mnist.py',
        cfg_options=epochs(2)),
    dictionary=dict(
        title='SRM stage 1: dictionary',
        config='srm_resnet18-w16_mobilenet-v2-w0.5_1xb128_fashion-mnist_stage1.py',
        handoff={'model.teacher_ckpt': 'teacher'}),
    intermediate=dict(
        title='SRM stage 2: intermediate layers',
        config='srm_resnet18-w16_mobilenet-v2-w0.5_1xb128_fashion-mnist_stage2.py',
        handoff={
            'model.teacher_ckpt': 'teacher',
            'model.dictionary_ckpt': 'dictionary'
        }),
    kd=dict(
        title='SRM student (stage 3: KD)',
        config='srm_resnet18-w16_mobilenet-v2-w0.5_1xb128_fashion-mnist_stage3.py',
        handoff={
            'model.teacher_ckpt': 'teacher',
            'model.architecture.init_cfg.checkpoint': 'intermediate'
        }),
)
