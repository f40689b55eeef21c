"""The SRM math against an independent reference: plain Python loops over
pixels and atoms, in float64 numpy."""
import numpy as np
import pytest
import torch

from srm_mmrazor.errors import ConfigError
from srm_mmrazor.models import SparseCoder, SRMHead, align_spatial


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def reference_coder(x, dictionary, intercept, k):
    """Per pixel: a = sigmoid(D^T x + b); keep entries >= the k-th largest;
    reconstruct D S; labels = mean of S, argmax of a."""
    n, c, h, w = x.shape
    num_codewords = dictionary.shape[1]
    a = np.zeros((n, num_codewords, h, w))
    s = np.zeros_like(a)
    recon = np.zeros_like(x)
    for b in range(n):
        for i in range(h):
            for j in range(w):
                pixel = x[b, :, i, j]
                for atom in range(num_codewords):
                    a[b, atom, i, j] = sigmoid(
                        sum(dictionary[ch, atom] * pixel[ch]
                            for ch in range(c)) + intercept)
                kth = sorted(a[b, :, i, j], reverse=True)[k - 1]
                for atom in range(num_codewords):
                    if a[b, atom, i, j] >= kth:
                        s[b, atom, i, j] = a[b, atom, i, j]
                for ch in range(c):
                    recon[b, ch, i, j] = sum(dictionary[ch, atom] *
                                             s[b, atom, i, j]
                                             for atom in range(num_codewords))
    image_label = s.sum(axis=(2, 3)) / (h * w)
    pixel_label = a.argmax(axis=1)
    return a, s, recon, image_label, pixel_label


def as_numpy(coder):
    return (coder.dictionary.detach().double().numpy(),
            coder.intercept.item())


def test_coder_sizes():
    coder = SparseCoder(in_channels=48, codeword_multiplier=2.0,
                        sparsity_multiplier=0.02)
    assert coder.num_codewords == 96
    assert coder.sparsity == 1  # max(1, int(1.92))
    assert tuple(coder.dictionary.shape) == (48, 96)
    assert coder.intercept.numel() == 1
    assert SparseCoder(256, 4.0, 0.02).sparsity == 20


@pytest.mark.parametrize('size', [(3, 2), (1, 1)])  # a map, a pooled point
def test_coder_matches_reference(size):
    torch.manual_seed(0)
    coder = SparseCoder(in_channels=6, codeword_multiplier=2.0,
                        sparsity_multiplier=0.25)  # K = 12, k = 3
    x = torch.randn(2, 6, *size, dtype=torch.float64)
    coder.double()
    a, s, recon, image_label, pixel_label = reference_coder(
        x.numpy(), *as_numpy(coder), coder.sparsity)

    np.testing.assert_allclose(coder.activations(x).detach(), a, rtol=1e-10)
    np.testing.assert_allclose(coder.encode(x).detach(), s, rtol=1e-10)
    np.testing.assert_allclose(coder(x).detach(), recon, rtol=1e-10)
    labels = [label.detach() for label in coder.labels(x)]
    np.testing.assert_allclose(labels[0], image_label, rtol=1e-10)
    assert labels[1].dtype == torch.long
    np.testing.assert_array_equal(labels[1], pixel_label)
    assert tuple(labels[0].shape) == (2, 12)
    assert tuple(labels[1].shape) == (2, *size)


def test_exactly_k_nonzeros_without_ties():
    coder = SparseCoder(in_channels=16, codeword_multiplier=4.0,
                        sparsity_multiplier=0.05)  # K = 64, k = 3
    codes = coder.encode(torch.randn(4, 16, 5, 5))
    assert ((codes != 0).sum(dim=1) == 3).all()


def test_ties_at_the_threshold_are_all_kept():
    coder = SparseCoder(in_channels=2, codeword_multiplier=2.0,
                        sparsity_multiplier=0.25)  # K = 4, k = 1
    with torch.no_grad():
        # atoms 1 and 2 are the same vector: every pixel ties on them
        coder.dictionary.copy_(
            torch.tensor([[0.1, 3.0, 3.0, -1.0], [0.2, 1.0, 1.0, 0.5]]))
    x = torch.rand(1, 2, 2, 2) + 0.5
    codes = coder.encode(x).detach()
    assert ((codes != 0).sum(dim=1) == 2).all()
    a, s, *_ = reference_coder(x.double().numpy(), *as_numpy(coder), 1)
    np.testing.assert_allclose(codes, s, rtol=1e-6)


def reference_head(z, projection, intercept):
    n, c, h, w = z.shape
    num_codewords = projection.shape[1]
    scores = np.zeros((n, num_codewords, h, w))
    for b in range(n):
        for i in range(h):
            for j in range(w):
                for atom in range(num_codewords):
                    scores[b, atom, i, j] = sum(
                        projection[ch, atom] * z[b, ch, i, j]
                        for ch in range(c)) + intercept
    p = sigmoid(scores)
    return p.sum(axis=(2, 3)) / (h * w), p, scores


@pytest.mark.parametrize('pixel_mode', ['faithful', 'logits'])
def test_head_matches_reference(pixel_mode):
    head = SRMHead(in_channels=5, num_codewords=7,
                   pixel_mode=pixel_mode).double()
    z = torch.randn(2, 5, 3, 4, dtype=torch.float64)
    image, p, scores = reference_head(z.numpy(),
                                      head.projection.detach().numpy(),
                                      head.intercept.item())
    image_pred, pixel_scores = head(z)
    np.testing.assert_allclose(image_pred.detach(), image, rtol=1e-10)
    expected = p if pixel_mode == 'faithful' else scores
    np.testing.assert_allclose(pixel_scores.detach(), expected, rtol=1e-10)


@pytest.mark.parametrize('kwargs, message', [
    (dict(codeword_multiplier=0.1), 'K=0'),
    (dict(sparsity_multiplier=0.0), 'must be in'),
    (dict(sparsity_multiplier=1.5), 'must be in'),
    (dict(num_codewords=0), 'must be a whole number of at least 1'),
    (dict(num_codewords=8.5), 'must be a whole number of at least 1'),
    (dict(num_codewords=8, codeword_multiplier=2.0), 'not both'),
])
def test_coder_rejects_bad_sizes(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        SparseCoder(in_channels=4, **kwargs)


def test_coder_size_by_multiplier_or_by_count():
    assert SparseCoder(in_channels=48).num_codewords == 96  # 2 C by default
    assert SparseCoder(in_channels=48,
                       codeword_multiplier=4.0).num_codewords == 192
    coder = SparseCoder(in_channels=48, num_codewords=100,
                        sparsity_multiplier=0.02)
    assert coder.num_codewords == 100 and coder.sparsity == 2
    assert coder.dictionary.shape == (48, 100)


def test_head_rejects_unknown_pixel_mode():
    with pytest.raises(ConfigError, match="pixel_mode='softmax' is unknown"):
        SRMHead(in_channels=4, num_codewords=8, pixel_mode='softmax')


def test_alignment():
    teacher = torch.randn(2, 8, 8, 8)
    student = torch.randn(2, 4, 4, 4)
    pooled_teacher, same_student = align_spatial(teacher, student, 'pool')
    assert tuple(pooled_teacher.shape) == (2, 8, 4, 4)
    torch.testing.assert_close(pooled_teacher[0, 0, 0, 0],
                               teacher[0, 0, :2, :2].mean())
    assert same_student is student
    same_teacher, resized = align_spatial(teacher, student, 'interpolate')
    assert same_teacher is teacher and tuple(resized.shape) == (2, 4, 8, 8)
    with pytest.raises(ConfigError, match=r'\(8, 8, 8\).*\(4, 4, 4\)'):
        align_spatial(teacher, student, None)
