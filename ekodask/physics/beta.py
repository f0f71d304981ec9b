"""Coefficients of the QCD beta function in the a_s = alpha_s/(4 pi) normalisation.

Convention: d a_s / d ln mu^2 = -sum_k beta_k a_s^(k+2).
beta_0: Gross-Wilczek, Politzer (1973); beta_1: Caswell, Jones (1974);
beta_2: Tarasov-Vladimirov-Zharkov (1980), Larin-Vermaseren hep-ph/9302208;
beta_3: van Ritbergen-Vermaseren-Larin hep-ph/9701390.
"""

from .constants import ZETA3

__all__ = ["b", "beta", "beta_0", "beta_1", "beta_2", "beta_3"]


def beta_0(nf: float) -> float:
    """One-loop coefficient 11 - 2/3 nf."""
    return 11.0 - 2.0 / 3.0 * nf


def beta_1(nf: float) -> float:
    """Two-loop coefficient 102 - 38/3 nf."""
    return 102.0 - 38.0 / 3.0 * nf


def beta_2(nf: float) -> float:
    """Three-loop coefficient (MSbar)."""
    return 2857.0 / 2.0 - 5033.0 / 18.0 * nf + 325.0 / 54.0 * nf**2


def beta_3(nf: float) -> float:
    """Four-loop coefficient (MSbar), hep-ph/9701390."""
    return (
        149753.0 / 6.0
        + 3564.0 * ZETA3
        - (1078361.0 / 162.0 + 6508.0 / 27.0 * ZETA3) * nf
        + (50065.0 / 162.0 + 6472.0 / 81.0 * ZETA3) * nf**2
        + 1093.0 / 729.0 * nf**3
    )


_BETAS = (beta_0, beta_1, beta_2, beta_3)


def beta(k: int, nf: float) -> float:
    """beta_k for k = 0..3."""
    return _BETAS[k](nf)


def b(k: int, nf: float) -> float:
    """Reduced coefficient b_k = beta_k / beta_0."""
    return beta(k, nf) / beta_0(nf)
