"""The per-process memo of anomalous dimensions: by value, bounded, and exactly transparent.

References: the uncached provider (:mod:`ekodask.physics.anomalous_dimensions` called
directly) and, for the fast harmonic sums, the slow reference implementation.
"""

import numpy as np
import pytest

from ekodask.evolution import evolution_operator
from ekodask.physics import anomalous_dimensions as ad
from ekodask.physics import cache
from ekodask.physics import harmonics as h

XGRID = np.geomspace(1e-5, 1.0, 16)


def test_keys_are_by_value():
    a = np.linspace(1, 2, 7) + 1j
    assert cache.nodes_key(a) == cache.nodes_key(a.copy())
    assert cache.nodes_key(a) != cache.nodes_key(a + 1e-15)
    assert cache.nodes_key(a) != cache.nodes_key(a.reshape(7, 1))


def test_memo_hits_on_equal_arrays_and_is_read_only():
    memo = cache.ArrayMemo()
    calls = []

    def compute():
        calls.append(1)
        return np.arange(4.0)

    n = np.array([1.0 + 2j, 3.0])
    first = memo.get(cache.nodes_key(n), compute)
    second = memo.get(cache.nodes_key(n.copy()), compute)
    assert len(calls) == 1 and second is first
    assert (memo.hits, memo.misses) == (1, 1)
    with pytest.raises(ValueError):
        first[0] = 1.0


def test_memo_is_bounded_in_entries_and_bytes():
    memo = cache.ArrayMemo(max_entries=3, max_bytes=10 * 8 * 100)
    for i in range(5):
        memo.get(("k", i), lambda: np.zeros(100))
    assert len(memo) == 3 and memo.nbytes == 3 * 800
    # least recently used goes first: touch 2, add 5 -> 3 is dropped
    memo.get(("k", 2), lambda: np.ones(100))
    memo.get(("k", 5), lambda: np.zeros(100))
    memo.get(("k", 3), lambda: np.full(100, 7.0))
    assert memo.get(("k", 2), lambda: np.full(100, -1.0))[0] == 0.0
    memo.get(("big",), lambda: np.zeros(2000))  # larger than the bound: returned, not kept
    assert ("big",) not in memo._data
    assert memo.nbytes <= memo.max_bytes


@pytest.mark.parametrize("order", [1, 2, 3])
def test_cached_gammas_equal_the_provider(order):
    n = np.array([1.5 + 0.5j, 2.0 + 3j, -40.0 + 30j, 7.0 - 2j])
    cached = cache.cached_gammas()
    for nf in (3, 4, 5):
        for kind in ad.KINDS:
            np.testing.assert_array_equal(
                cached.gamma_ns(order, kind, n, nf), ad.gamma_ns(order, kind, n, nf)
            )
        np.testing.assert_array_equal(
            cached.gamma_singlet(order, n, nf), ad.gamma_singlet(order, n, nf)
        )


def test_variations_and_nf_are_separate_entries():
    n = np.array([2.0 + 1j, 3.0 + 2j])
    a = cache.cached_gammas(variation=(1,)).gamma_ns(2, "+", n, 4)
    b = cache.cached_gammas(variation=(2,)).gamma_ns(2, "+", n, 4)
    c = cache.cached_gammas(variation=(2,)).gamma_ns(2, "+", n, 5)
    np.testing.assert_array_equal(a, b)  # the default provider ignores the variation
    assert a is not b
    assert not np.array_equal(b, c)


def _operator(**kw):
    return evolution_operator(
        xgrid=XGRID, degree=3, order=3, nf=4, a0=0.02, a1=0.012, intrinsic=(), **kw
    )


@pytest.mark.parametrize("method", ["iterate-exact", "truncated"])
def test_cached_operator_equals_uncached(method):
    """Default (memoised) provider vs the plain module: equal to 1e-14 of the largest entry."""
    cache.clear()
    plain = _operator(method=method, gammas=ad)
    first = _operator(method=method)  # fills the memo
    hits = cache.memo.hits
    second = _operator(method=method)  # served from it
    assert cache.memo.hits > hits
    scale = np.max(np.abs(plain))
    np.testing.assert_allclose(first, plain, rtol=0, atol=1e-14 * scale)
    np.testing.assert_allclose(second, plain, rtol=0, atol=1e-14 * scale)


def test_fast_harmonics_give_the_reference_operator(monkeypatch):
    """The whole NNLO operator with the slow reference sums: equal to 1e-14 of the largest entry."""
    fast = _operator(gammas=ad)
    monkeypatch.setattr(h, "_PSI_FAR", None)
    monkeypatch.setattr(h, "_NESTED_FAR", None)
    monkeypatch.setattr(h, "S", lambda idx, n, even=True: _reference_s(idx, n, even))
    assert h._shift_counts(np.array([-500.0 + 100j]), 15.0, h._PSI_FAR)[0] > 0
    slow = _operator(gammas=ad)
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-14 * np.max(np.abs(slow)))


def _reference_s(idx, n, even):
    idx = tuple(int(a) for a in idx)
    if len(idx) == 1 and abs(idx[0]) <= 5:
        return h.single_sum(idx[0], n, even)
    return h.nested_reference(idx, n, even)


def test_ome_constant_memoised_by_nodes_not_nf():
    # A_Hg^(2)(L = 0) depends on N alone: the memoised value is the direct evaluation's, for
    # every nf, and the second matching of a run is served from the memo
    from ekodask.physics import ome

    cache.clear()
    n = np.linspace(1.5, 6.0, 7) + 1j * np.linspace(0.0, 9.0, 7)
    direct = ome._hg_2_const(n)
    misses = cache.memo.misses
    at3 = ome.a_hg_2(n, 0.0, 3)
    at4 = ome.a_hg_2(n, 0.0, 4)
    assert cache.memo.misses == misses + 1
    np.testing.assert_array_equal(at3, direct)
    np.testing.assert_array_equal(at4, direct)
    with_log = ome.a_hg_2(n, 0.7, 4)  # the L terms on top, not cached
    assert not np.array_equal(with_log, direct)


@pytest.mark.parametrize("memo", [cache.ArrayMemo(), cache.ObjectMemo(4)], ids=["array", "object"])
def test_a_value_is_built_once_however_many_threads_ask(memo):
    # eight threads ask for one key while its first build is held open: exactly one build,
    # the others wait for it (before: each thread built its own copy). Whatever the
    # interleaving, one build is the only correct count.
    import threading

    calls, release = [], threading.Event()
    gate = threading.Barrier(9)

    def build():
        calls.append(1)
        release.wait(10.0)
        return np.arange(3.0)

    got = []

    def ask():
        gate.wait()
        got.append(memo.get(("key",), build))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    gate.wait()
    release.set()
    for t in threads:
        t.join(10.0)
    assert len(calls) == 1 and len(got) == 8
    assert all(g is got[0] for g in got)


def test_a_failed_build_is_not_kept_and_can_be_retried():
    memo = cache.ObjectMemo(4)

    def boom():
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        memo.get(("k",), boom)
    assert memo.get(("k",), lambda: "ok") == "ok" and len(memo) == 1


def test_harmonic_sums_shared_by_every_nf_and_kind_and_read_only():
    # the nf-independent sums at a node set are built once for all nf and kinds; the gammas
    # are bitwise those of the order's functions given their own freshly built sums
    from ekodask.physics.anomalous_dimensions import as2, as3
    from ekodask.physics.anomalous_dimensions.as3_mellin import MellinBasis

    cache.clear()
    n = np.array([1.5 + 0.5j, 2.0 + 3j, -40.0 + 30j, 7.0 - 2j, 0.6 + 20j])
    for nf in (3, 4, 5):
        for kind in ad.KINDS:
            got = ad.gamma_ns(3, kind, n, nf)
            fresh_mel, fresh_basis = as2.MellinTransforms(n), MellinBasis(n)
            fn2 = {"+": as2.gamma_nsp, "-": as2.gamma_nsm, "v": as2.gamma_nsv}[kind]
            fn3 = {"+": as3.gamma_nsp, "-": as3.gamma_nsm, "v": as3.gamma_nsv}[kind]
            np.testing.assert_array_equal(got[1], fn2(n, nf, fresh_mel))
            np.testing.assert_array_equal(got[2], fn3(n, nf, fresh_basis))
        singlet = ad.gamma_singlet(3, n, nf)
        np.testing.assert_array_equal(singlet[2], as3.gamma_singlet(n, nf))
    assert len(cache.objects) == 2  # one as2 transform set and one as3 basis for all 12 calls
    mel, basis = ad.shared_sums(n, 3)
    with pytest.raises(ValueError):
        mel.s(1, 0)[0] = 0.0
    with pytest.raises(ValueError):
        basis.power_log(1, 0, 2)[0] = 0.0
    assert n.flags.writeable  # the caller's nodes are left as they were
