"""The fast block products equal the dense definitions to 1e-14 of the largest entry.

References: the dense tensordot / einsum of the same arrays (the definition of the contraction
and of the basis rotation, ekodask.physics.basis.rotate_operator).
"""

import numpy as np
import pytest

from ekodask import contraction as c
from ekodask.physics import basis

NX = 17
#: the relative step of a bound rounded up to contraction.BOUND_BITS significant bits
ROUND = 1.0 + 2.0**-c.BOUND_BITS


def _sparse_op(rng, rows, cols, nx=NX):
    op = np.zeros((14, nx, 14, nx))
    for i in rows:
        for j in cols:
            if rng.random() < 0.7:
                op[i, :, j, :] = rng.standard_normal((nx, nx))
    return op


def _close(actual, desired):
    scale = np.abs(desired).max()
    assert scale > 0
    np.testing.assert_allclose(actual, desired, rtol=0, atol=1e-14 * scale)


@pytest.mark.parametrize("seed", range(4))
def test_block_sparse_contract_equals_dense(seed):
    rng = np.random.default_rng(seed)
    p = _sparse_op(rng, rng.choice(14, 9, replace=False), rng.choice(14, 10, replace=False))
    t = _sparse_op(rng, rng.choice(14, 11, replace=False), rng.choice(14, 8, replace=False))
    want = np.einsum("iajb,jbkc->iakc", p, t)
    got = c.contract(p, t)
    _close(got, want)
    # blocks that no product reaches are exactly zero
    assert np.array_equal(c.nonzero(got) & ~c.nonzero(want), np.zeros((14, 14), bool))


def test_contract_dense_and_empty_inputs():
    rng = np.random.default_rng(7)
    p, t = rng.standard_normal((2, 14, 5, 14, 5))
    _close(c.contract(p, t), np.einsum("iajb,jbkc->iakc", p, t))
    zero = np.zeros_like(p)
    assert not c.contract(zero, t).any() and not c.contract(p, zero).any()


def test_combine_errors_follow_the_formula():
    rng = np.random.default_rng(3)
    p = _sparse_op(rng, range(3, 12), range(3, 12))
    t = _sparse_op(rng, range(14), range(4, 11))
    ep, et = np.abs(p) * 1e-6, np.abs(t) * 1e-7
    final, err = c.combine(p, t, ep, et)
    _close(final, np.einsum("iajb,jbkc->iakc", p, t))
    want = np.einsum("iajb,jbkc->iakc", ep, np.abs(t)) + np.einsum("iajb,jbkc->iakc", np.abs(p), et)
    # single precision rounded up: never below the double-precision formula, about 3 (K + 4) u
    # above it (K = 2 * 14 * NX summed terms, u = 2^-24) plus its own float32 rounding
    slack = 2 * (2 * 14 * NX + 4) * 2.0**-24
    assert np.array_equal(err == 0, want == 0)
    ratio = err[want > 0] / want[want > 0]
    assert ratio.min() >= 1.0 and ratio.max() <= (1.0 + 2 * slack) * ROUND
    # one error term alone: the other half of the stacked product is skipped
    _, only_p = c.combine(p, t, ep, None)
    want_p = np.einsum("iajb,jbkc->iakc", ep, np.abs(t))
    assert np.all(only_p >= want_p) and np.all(only_p <= want_p * (1 + 2 * slack) * ROUND)
    _, only_t = c.combine(p, t, None, et)
    want_t = np.einsum("iajb,jbkc->iakc", np.abs(p), et)
    assert np.all(only_t >= want_t) and np.all(only_t <= want_t * (1 + 2 * slack) * ROUND)
    # another contraction keeps the double-precision formula
    _, dense = c.combine(p, t, ep, et, contraction=c.dense_contract)
    _close(dense, want)


def test_error_product_bounds_signed_errors_by_their_magnitude():
    rng = np.random.default_rng(11)
    p, t = rng.standard_normal((2, 14, 4, 14, 4))
    ep, et = rng.standard_normal((2, 14, 4, 14, 4)) * 1e-6
    want = np.einsum("iajb,jbkc->iakc", np.abs(ep), np.abs(t)) + np.einsum(
        "iajb,jbkc->iakc", np.abs(p), np.abs(et)
    )
    got = c.error_product(p, t, ep, et)
    assert got.dtype == np.float64 and np.all(got >= want)
    assert np.array_equal(c.round_up_bound(got), got)  # stored-bound values: short mantissas
    assert np.all(got <= want * (1 + 4 * (2 * 14 * 4 + 2) * 2.0**-24) * ROUND)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_round_up_bound_keeps_bits_and_never_rounds_down(dtype):
    # reference: the definition, computed exactly with math.frexp (mantissa m in [0.5, 1)):
    # BOUND_BITS fraction bits after the leading one, ceil(m 2^(BOUND_BITS + 1)) 2^(e - BITS - 1)
    import math

    rng = np.random.default_rng(5)
    x = np.abs(rng.standard_normal(2000)) * 10.0 ** rng.uniform(-30, 30, 2000)
    x = x.astype(dtype)
    x[:3] = [0.0, np.inf, 1.0]
    x[3] = np.finfo(dtype).max  # the largest finite number has no 10-bit ceiling below inf
    got = c.round_up_bound(x)
    assert got.dtype == dtype and got.shape == x.shape
    for v, g in zip(x[4:].tolist(), got[4:].tolist(), strict=True):
        m, e = math.frexp(v)
        assert g == math.ldexp(math.ceil(m * 2 ** (c.BOUND_BITS + 1)), e - c.BOUND_BITS - 1)
    assert got[0] == 0.0 and got[1] == np.inf and got[2] == 1.0 and got[3] == np.inf
    assert np.all(got >= x) and np.all(got[4:] < x[4:] * ROUND)
    np.testing.assert_array_equal(c.round_up_bound(got), got)  # idempotent
    own = x.copy()
    assert c.round_up_bound(own, inplace=True) is own and np.array_equal(own, got)
    strided = np.repeat(x, 2)[::2]  # not contiguous: rounded into a new array
    assert np.array_equal(c.round_up_bound(strided, inplace=True), got)
    assert np.array_equal(strided, x)
    nan = np.array([np.nan, 1.5], dtype=dtype)
    out = c.round_up_bound(nan)
    assert np.isnan(out[0]) and out[1] == 1.5 and not np.isnan(nan[1])
    with pytest.raises(TypeError, match="float32 or float64"):
        c.round_up_bound(np.arange(3))


@pytest.mark.parametrize("nf", [3, 4, 5, 6])
def test_blocks_to_flavor_equals_the_rotation(nf):
    rng = np.random.default_rng(nf)
    labels = basis.evolution_labels(nf)
    distinct = rng.standard_normal((6, NX, NX))
    i_s, i_g = labels.index("S"), labels.index("g")
    entries = [(i, i, i % 2) for i in range(14) if i not in (i_s, i_g)]
    entries += [(i_s, i_s, 2), (i_s, i_g, 3), (i_g, i_s, 4), (i_g, i_g, 5)]
    dense = np.zeros((14, NX, 14, NX))
    for k, l, d in entries:
        dense[k, :, l, :] = distinct[d]
    left, right = basis.evolution_to_flavor(nf), basis.flavor_to_evolution(nf)
    _close(c.blocks_to_flavor(distinct, entries, left, right), basis.rotate_operator(dense, nf))
    want_abs = np.einsum("ik,kalb,lj->iajb", np.abs(left), dense, np.abs(right))
    got_abs = c.blocks_to_flavor(distinct, entries, left, right, absolute=True)
    _close(got_abs, want_abs)


def test_mul_2x2_equals_matmul():
    from ekodask.physics.linalg import mul_2x2

    rng = np.random.default_rng(11)
    a = rng.standard_normal((5, 3, 2, 2)) + 1j * rng.standard_normal((5, 3, 2, 2))
    b = rng.standard_normal((3, 2, 2)) + 1j * rng.standard_normal((3, 2, 2))
    _close(mul_2x2(a, b), a @ b)


def _block_partial(rng, nf, nx=NX, with_error=True):
    """A BlockOperator shaped like a segment at nf: distinct NS blocks, a singlet 2x2, unit
    photon (the entries evolution.evolution_blocks makes)."""
    labels = basis.evolution_labels(nf)
    n_ns = 3
    entries = [(0, 0, n_ns + 4)]
    for i, lab in enumerate(labels):
        if lab[0] in "VT":
            entries.append((i, i, 0 if lab[0] == "T" else (1 if lab != "V" else 2)))
    for r, row in enumerate((1, 2)):
        for col_i, col in enumerate((1, 2)):
            entries.append((row, col, n_ns + 2 * r + col_i))
    blocks = rng.standard_normal((n_ns + 5, nx, nx))
    blocks[-1] = np.eye(nx)
    err = np.abs(rng.standard_normal(blocks.shape)) * 1e-6 if with_error else None
    if err is not None:
        err[-1] = 0.0
    right, left = basis.flavor_to_evolution(nf), basis.evolution_to_flavor(nf)
    return c.BlockOperator(blocks, tuple(entries), left, right, err)


@pytest.mark.parametrize("nf", [3, 4, 5])
def test_combine_blocks_equals_the_pdg_product(nf):
    # reference: the dense definitions, O = P.T and err = |P| err_T + err_P |T|, with P and
    # err_P the PDG-basis operator and error of the blocks (einsum, double precision)
    rng = np.random.default_rng(nf)
    part = _block_partial(rng, nf)
    p, ep = part.to_flavor()
    t = _sparse_op(rng, range(13), range(1, 12))
    et = np.abs(t) * 1e-7
    rot = c.rotate_threshold(t, et, part.right)
    final, err = c.combine_blocks(part, rot)
    _close(final, np.einsum("iajb,jbkc->iakc", p, t))
    want = np.einsum("iajb,jbkc->iakc", ep, np.abs(t)) + np.einsum("iajb,jbkc->iakc", np.abs(p), et)
    # rounded up in float32: at or above the formula, within 2 (K + 4) u of it (and its
    # own float32 rounding), K = 12 rows of T x (NX + 1) + 2 x 14 + 2 NX + 4
    slack = 2 * (12 * (NX + 1) + 28 + 2 * NX + 8) * 2.0**-24
    assert np.array_equal(err == 0, want == 0)
    ratio = err[want > 0] / want[want > 0]
    assert ratio.min() >= 1.0 and ratio.max() <= (1.0 + 2 * slack) * ROUND
    # without errors: the operator alone
    bare = _block_partial(np.random.default_rng(nf), nf, with_error=False)
    op, none = c.combine_blocks(bare, c.rotate_threshold(t, None, bare.right))
    assert none is None
    _close(op, np.einsum("iajb,jbkc->iakc", bare.to_flavor()[0], t))


def test_combine_blocks_reuses_its_error_sums_and_drops_them_when_pickled():
    # the err_T sums kept on the rotated threshold give the same bits on a second point and
    # after a pickle round trip (which starts without them); a partial with another block
    # pattern gets its own sums. Reference: the first call (bitwise), and the dense formula.
    import pickle

    rng = np.random.default_rng(9)
    part = _block_partial(rng, 5)
    t = _sparse_op(rng, range(13), range(1, 12))
    et = np.abs(t) * 1e-7
    rot = c.rotate_threshold(t, et, part.right)
    first = c.combine_blocks(part, rot)[1]
    assert len(rot._groups) == 1
    np.testing.assert_array_equal(c.combine_blocks(part, rot)[1], first)
    copy = pickle.loads(pickle.dumps(rot))
    assert copy._groups == {} and len(rot._groups) == 1
    np.testing.assert_array_equal(c.combine_blocks(part, copy)[1], first)
    # every block distinct: another pattern, another entry; still the dense formula
    blocks = np.concatenate([part.blocks, part.blocks[:1] * 1.5])
    entries = (*part.entries[:-1], (*part.entries[-1][:2], len(part.blocks)))
    other = c.BlockOperator(blocks, entries, part.left, part.right, np.abs(blocks) * 1e-9)
    err = c.combine_blocks(other, rot)[1]
    assert len(rot._groups) == 2
    p, ep = other.to_flavor()
    want = np.einsum("iajb,jbkc->iakc", ep, np.abs(t)) + np.einsum("iajb,jbkc->iakc", np.abs(p), et)
    assert np.array_equal(err == 0, want == 0)
    ratio = err[want > 0] / want[want > 0]
    assert (
        ratio.min() >= 1.0 and ratio.max() <= (1.0 + 4 * (12 * (NX + 1) + 100) * 2.0**-24) * ROUND
    )


def test_error_sums_made_once_when_two_threads_ask_together(monkeypatch):
    # a second thread asking while the first makes the sums waits for them (the same object
    # comes back) instead of making them again: one build, deterministic by events
    import threading

    rng = np.random.default_rng(3)
    part = _block_partial(rng, 4)
    t = _sparse_op(rng, range(13), range(1, 12))
    rot = c.rotate_threshold(t, np.abs(t) * 1e-7, part.right)
    real = c.RotatedThreshold._error_groups
    started, release, calls = threading.Event(), threading.Event(), []

    def slow(self, index, live):
        calls.append(1)
        started.set()
        assert release.wait(30)
        return real(self, index, live)

    monkeypatch.setattr(c.RotatedThreshold, "_error_groups", slow)
    out = {}

    def point(name):
        out[name] = c.combine_blocks(part, rot)[1]

    first = threading.Thread(target=point, args=("first",))
    first.start()
    assert started.wait(30)
    second = threading.Thread(target=point, args=("second",))
    second.start()
    second.join(0.2)  # it cannot finish: the sums are still being made
    assert second.is_alive()
    release.set()
    first.join(30)
    second.join(30)
    assert len(calls) == 1 and len(rot._groups) == 1
    np.testing.assert_array_equal(out["first"], out["second"])


def test_combine_blocks_refuses_another_rotation():
    rng = np.random.default_rng(0)
    part = _block_partial(rng, 4)
    t = _sparse_op(rng, range(14), range(14))
    with pytest.raises(ValueError, match="rotation"):
        c.combine_blocks(part, c.rotate_threshold(t, None, basis.flavor_to_evolution(5)))
