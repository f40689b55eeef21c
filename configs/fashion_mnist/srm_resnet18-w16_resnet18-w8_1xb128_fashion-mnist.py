# SRM on Fashion-MNIST, end to end: the teacher, the student alone and the
# three SRM stages, compared the paper's way: SRM's final stage (KD from the
# stage-2 student) trains as many epochs as the student alone; SRM's stages
# 1 and 2 come on top of that.
#   python tools/train.py configs/fashion_mnist/srm_resnet18-w16_\
#   resnet18-w8_1xb128_fashion-mnist.py      (what `make demo` runs)
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
        title='student alone (ResNet-18 w8)',
        config='resnet18-w8_1xb128_fashion-mnist.py',
        cfg_options=epochs(2)),
    dictionary=dict(
        title='SRM stage 1: dictionary',
        config='srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist_stage1.py',
        handoff={'model.teacher_ckpt': 'teacher'}),
    intermediate=dict(
        title='SRM stage 2: intermediate layers',
        config='srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist_stage2.py',
        handoff={
            'model.teacher_ckpt': 'teacher',
            'model.dictionary_ckpt': 'dictionary'
        }),
    kd=dict(
        title='SRM student (stage 3: KD)',
        config='srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist_stage3.py',
        cfg_options=epochs(2),
        handoff={
            'model.teacher_ckpt': 'teacher',
            'model.architecture.init_cfg.checkpoint': 'intermediate'
        }),
)
