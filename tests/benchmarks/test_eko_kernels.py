"""Each solution method against eko 0.15.7's own kernel, at the level of one N (``-m bench``).

The same anomalous-dimension arrays (random ones of NLO..N3LO size, and the real NNLO ones at
points of a Mellin contour) go into eko's ``kernels.non_singlet.dispatcher`` and
``kernels.singlet.dispatcher`` and into ekodask's; the methods are defined to be the same, so
they agree to rounding. ekodask's own iterate-magnus4 has no eko counterpart.
"""

import numpy as np
import pytest

from ekodask.physics import anomalous_dimensions as ad
from ekodask.physics.kernels import EKO_METHODS, non_singlet, singlet

pytestmark = pytest.mark.bench

A0, A1 = 0.35 / (4 * np.pi), 0.0093  # LHA start and roughly a_s(1e4 GeV^2)
RNG = np.random.default_rng(11)
GAMMA_RANDOM = np.stack(
    [RNG.normal(size=(2, 2)) * s + 1j * RNG.normal(size=(2, 2)) * s for s in (3, 30, 300, 3000)]
)
N_POINTS = (2.0 + 1j, 0.7 + 3j, 5.0 + 0.5j)


def _eko():
    pytest.importorskip("eko")
    from eko.io.types import EvolutionMethod
    from eko.kernels import ev_method
    from eko.kernels import non_singlet as eko_ns
    from eko.kernels import singlet as eko_s

    return eko_ns, eko_s, lambda name: int(ev_method(EvolutionMethod(name)))


def _cases(order):
    yield GAMMA_RANDOM[:order]
    if order <= 3:
        for n in N_POINTS:
            yield ad.gamma_singlet(3, np.array([n]), 4)[:order, 0]


@pytest.mark.parametrize("nf", [3, 5])
@pytest.mark.parametrize("order", [1, 2, 3, 4])
@pytest.mark.parametrize("method", EKO_METHODS)
def test_kernels_equal_eko(method, order, nf):
    if method in ("truncated", "ordered-truncated") and order >= 3:
        # eko's singlet eko_truncated adds its terms in place (the higher terms act on the
        # running sum), in its operators too; ekodask implements the documented formula
        # (tests/benchmarks/test_methods_eko.py::test_truncated_is_eko_running_sum)
        pytest.skip("eko's truncated singlet nests its terms")
    eko_ns, eko_s, code = _eko()
    for g in _cases(order):
        g = np.ascontiguousarray(g, dtype=complex)
        for a1, a0 in ((A1, A0), (A0, A1)):  # forward and backward
            ref = eko_s.dispatcher((order, 0), code(method), g, a1, a0, nf, 10, (10, 0))
            got = singlet(g[:, None], nf, a1, a0, method, 10, 10)[0]
            np.testing.assert_allclose(got, ref, rtol=1e-11, atol=1e-13 * np.abs(ref).max())
            gns = np.ascontiguousarray(g[:, 0, 0])
            ref_ns = eko_ns.dispatcher((order, 0), code(method), gns, a1, a0, nf)
            got_ns = non_singlet(gns[:, None], nf, a1, a0, method)[0]
            np.testing.assert_allclose(got_ns, ref_ns, rtol=1e-11)
