"""The four-loop beta function against the numbers printed in hep-ph/9701390."""

import numpy as np

from ekodask.physics.beta import beta_3


def test_beta_3_numerical_form():
    # van Ritbergen-Vermaseren-Larin hep-ph/9701390 (abstract and Eq. (9), a_s = alpha_s/(4 pi)):
    # beta_3 = 29242.964 - 6946.2896 nf + 405.08904 nf^2 + 1.499314 nf^3
    for nf in range(7):
        ref = 29242.964 - 6946.2896 * nf + 405.08904 * nf**2 + 1.499314 * nf**3
        # rounding of the printed digits: at most 5e-4 + 6 * 5e-5 + 36 * 5e-6 + ... < 1e-3
        np.testing.assert_allclose(beta_3(nf), ref, rtol=0, atol=1e-3)
