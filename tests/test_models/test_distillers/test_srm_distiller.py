"""Bad SRM configurations get one clear error, at build time or on the
first forward (before any optimizer step)."""
import pytest

from srm_mmrazor.errors import CheckpointError, ConfigError


def test_unknown_teacher_layer_lists_the_nearest_names(build_stage):
    options = {'model.distiller.teacher_recorders.layer2.source':
               'backbone.layer_2'}
    with pytest.raises(ConfigError) as error:
        build_stage(1, options)
    message = str(error.value)
    assert "'backbone.layer_2' is not a module of the teacher" in message
    assert 'backbone.layer2' in message.split('nearest names:')[1]


def test_unknown_student_layer_lists_the_nearest_names(build_stage):
    options = {'model.distiller.student_recorders.layer3.source':
               'backbone.layers2'}
    with pytest.raises(ConfigError, match=r'student recorder .*nearest '
                       r'names: backbone\.layer2'):
        build_stage(2, options)


def test_channel_mismatch_names_the_layer(build_stage):
    options = {'model.distiller.coders.layer3.in_channels': 48}
    model, batch = build_stage(1, options)
    with pytest.raises(ConfigError,
                       match=r"'backbone.layer3' has 64 channels but its "
                       r'SparseCoder has in_channels=48'):
        model(**batch, mode='loss')


def test_spatial_mismatch_needs_an_alignment(build_stage):
    # teacher layer2 is 32x14x14, student layer1 8x28x28
    options = {
        'model.distiller.student_recorders.layer2.source': 'backbone.layer1',
        'model.distiller.heads.layer2.in_channels': 8,
    }
    model, batch = build_stage(2, options)
    with pytest.raises(ConfigError, match=r"point 'layer2'.*\(32, 14, 14\).*"
                       r'\(8, 28, 28\).*alignment'):
        model(**batch, mode='loss')

    for alignment in ('pool', 'interpolate'):
        options['model.distiller.alignment'] = alignment
        model, batch = build_stage(2, options)
        assert 'distill.loss_pixel_layer2' in model(**batch, mode='loss')


def test_point_recording_a_tuple_says_what_to_record(build_stage):
    options = {'model.distiller.teacher_recorders.pooled.source': 'neck'}
    model, batch = build_stage(1, options)
    with pytest.raises(ConfigError, match="'neck' outputs a tuple.*neck.gap"):
        model(**batch, mode='loss')


def test_duplicate_points_are_refused(build_stage):
    options = {'model.distiller.teacher_recorders.layer3.source':
               'backbone.layer2'}
    with pytest.raises(ConfigError, match=r"record the same layer "
                       r"\['backbone.layer2'\]"):
        build_stage(1, options)


def test_coder_without_recorder_is_refused(build_stage):
    options = {'model.distiller.coders.layer5': dict(type='SparseCoder',
                                                     in_channels=8)}
    with pytest.raises(ConfigError, match=r"\['layer5'\] have no recorder"):
        build_stage(1, options)


@pytest.mark.parametrize('option, value', [('objective', 'both'),
                                           ('alignment', 'crop')])
def test_unknown_switches_are_refused(build_stage, option, value):
    with pytest.raises(ConfigError, match=f'{option}={value!r} is unknown'):
        build_stage(2, {f'model.distiller.{option}': value})


@pytest.mark.parametrize('option, value, message', [
    ('codeword_multiplier', 0.001, 'K must be at least 1'),
    ('sparsity_multiplier', 2.0, r'must be in \(0, 1\]'),
])
def test_multipliers_out_of_range(build_stage, option, value, message):
    with pytest.raises(ConfigError, match=message):
        build_stage(1, {f'model.distiller.coders.layer2.{option}': value})


def test_stage2_needs_the_coders_in_its_checkpoint(build_stage, tmp_path,
                                                   checkpoint_of):
    stage1, _ = build_stage(1)
    teacher_only = checkpoint_of(stage1.teacher, tmp_path / 'teacher.pth')
    with pytest.raises(CheckpointError,
                       match=r'teacher.pth does not fit the sparse coders'):
        build_stage(2, {'model.dictionary_ckpt': teacher_only})


def test_each_stage_takes_only_its_parts(build_stage):
    with pytest.raises(ConfigError, match='needs the distiller\'s heads'):
        build_stage(2, {'model.distiller.heads': None})
    heads = build_stage(2)[0].distiller.heads
    with pytest.raises(ConfigError, match="remove the distiller's heads"):
        build_stage(1, {'model.distiller.heads': {
            p: dict(type='SRMHead', in_channels=h.in_channels)
            for p, h in heads.items()},
            'model.distiller.student_recorders': {
                p: dict(type='ModuleOutputs', source=f'backbone.layer{i}')
                for i, p in enumerate(heads)}})
    # SRM's losses are its own: MMRazor's loss wiring is not an argument
    with pytest.raises(TypeError,
                       match="unexpected keyword argument 'distill_losses'"):
        build_stage(1, {'model.distiller.distill_losses': dict(
            loss_kd=dict(type='KLDivergence'))})
