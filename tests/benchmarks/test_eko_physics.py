"""Physics cross-checks against eko's own functions (``-m bench``, need the bench extra).

Moved out of the unit files (tests/physics/test_coupling.py, test_as2.py): they compare with a
peer program, not with the papers.
"""

import numpy as np
import pytest

from ekodask.physics import coupling as c
from ekodask.physics.anomalous_dimensions import as2

# complex N as in tests/physics/test_as2.py
N_CPLX = np.array([1.3 + 2.1j, 4.7 - 3.3j, 0.6 + 7.0j, 15.0 + 0.5j, 2.0 + 0.0j])


@pytest.mark.bench
def test_couplings_vs_eko():
    # cross-check against eko's couplings (bench extra): the expanded solution agrees to
    # rounding; eko's ODE tolerance limits the agreement of the exact one to ~5e-7
    eko_c = pytest.importorskip("eko.couplings")
    qc = pytest.importorskip("eko.quantities.couplings")
    hq = pytest.importorskip("eko.quantities.heavy_quarks")
    masses = (1.5, 4.5, 175.0)
    for order in (1, 2, 3, 4):
        for method in ("exact", "expanded") if order < 4 else ("exact",):
            for r in (0.5, 1.0, 2.0):
                info = qc.CouplingsInfo(alphas=0.118, alphaem=0.0075, ref=(91.1876, 5))
                ref = eko_c.Couplings(
                    info,
                    (order, 0),
                    qc.CouplingEvolutionMethod(method),
                    [m**2 for m in masses],
                    hq.QuarkMassScheme.POLE,
                    [r * r] * 3,
                )
                mine = c.Couplings(
                    order, 0.118, 91.1876**2, masses, (r, r, r), nf_ref=5, method=method
                )
                for mu2, nf in ((4.0, 3), (100.0, 5), (1e5, 6)):
                    np.testing.assert_allclose(
                        mine.a_s(mu2, nf), ref.a_s(mu2, nf_to=nf), rtol=1e-6, atol=0
                    )


@pytest.mark.bench
def test_gamma_as2_vs_eko():
    # cross-check against the independent implementation in eko (bench extra); eko's own sum
    # rules hold only to ~1e-6, hence the tolerance
    e2 = pytest.importorskip("ekore.anomalous_dimensions.unpolarized.space_like.as2")
    cache = pytest.importorskip("ekore.harmonics.cache")
    for nf in (3, 5):
        for n in N_CPLX[:5]:
            mine = as2.gamma_singlet(np.array([n]), nf)[0]
            ref = e2.gamma_singlet(complex(n), nf, cache.reset())
            np.testing.assert_allclose(mine, ref, rtol=5e-6, atol=1e-5)
            np.testing.assert_allclose(
                as2.gamma_nsm(n, nf), e2.gamma_nsm(complex(n), nf, cache.reset()), rtol=5e-6
            )
