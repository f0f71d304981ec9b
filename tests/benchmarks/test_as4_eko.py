"""gamma^(3)(N) of ekodask against eko 0.15.7's FHMRUVV N-space kernels (``-m bench``).

Measured (2026-12-02): the singlet qg, gq, gg agree to 1e-12 for every variation: eko 0.15.7
uses the 2024 vintage (P_gq of 2404.09701, P_gg of 2410.08089) and maps variation 1, 2 to the
files' IMOD 1, 2. gamma_ns,+/- and gamma_qq differ by up to 0.5 in absolute value (relative
< 1.5e-3, at nf = 5 where gamma_ns,- is small): eko's N-space non-singlet is not the exact
transform of xpns3p.f/xpns3m.f; ekodask's is, and is the closer to the exact moments of
gqq3fixedN.h (e.g. gamma_ns,+(N=2, nf=4): exact 3679.669, ekodask 3679.649, eko 3679.743).
"""

import numpy as np
import pytest

from ekodask.physics.anomalous_dimensions import as4

pytestmark = pytest.mark.bench

_NS = (2.0, 3.0, 10.0, 2.5 + 1.0j, 7.3 - 4.0j, 1.5 + 10.0j)
_VARIATIONS = [(0,) * 7] + [
    tuple(v if i == j else 0 for i in range(7)) for j in range(7) for v in (1, 2)
]


@pytest.mark.parametrize("nf", [3, 4, 5])
def test_gamma3_vs_eko(nf):
    sl = pytest.importorskip("ekore.anomalous_dimensions.unpolarized.space_like")
    for var in _VARIATIONS:
        arr = np.array(var)
        for n in _NS:
            ref_s = sl.gamma_singlet((4, 0), complex(n), nf, arr, True)[3]
            mine = as4.gamma_singlet(np.array([n]), nf, var)[0]
            # qg, gq, gg: the same parametrisations, transformed exactly on both sides
            for idx in ((0, 1), (1, 0), (1, 1)):
                np.testing.assert_allclose(mine[idx], ref_s[idx], rtol=1e-10, err_msg=str(var))
            np.testing.assert_allclose(mine[0, 0], ref_s[0, 0], rtol=0, atol=0.6)
            for mode, fn, v in ((10101, as4.gamma_nsp, 4), (10201, as4.gamma_nsm, 5),
                                (10200, as4.gamma_nsv, 6)):  # fmt: skip
                ref = sl.gamma_ns((4, 0), mode, complex(n), nf, arr, True)[3]
                got = fn(np.array([n]), nf, var[v])[0]
                np.testing.assert_allclose(got, ref, rtol=0, atol=0.6, err_msg=str((mode, var)))
