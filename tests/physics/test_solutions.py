"""Each DGLAP solution method against an independent reference.

References: the path-ordered ODE dE/da = gamma(a)/beta(a) E solved by scipy's DOP853 at
rtol 1e-13 (the iterate-* and perturbative-exact methods converge to it); the same ODE with
R(a) truncated at the order (perturbative-expanded); scipy's Pade expm of sum gamma^(k) j^(k)
with the j's by quadrature (decompose-*); the formulas of eko's doc/source/theory/DGLAP.rst
transcribed here (truncated, ordered-truncated); and power counting in a_s (exact minus a
truncated solution scales as a^order when a0, a1 are scaled at a fixed ratio).
"""

import numpy as np
import pytest
from scipy.integrate import quad, solve_ivp
from scipy.linalg import expm

from ekodask.physics import anomalous_dimensions as ad
from ekodask.physics import solutions as sol
from ekodask.physics.beta import b, beta
from ekodask.physics.kernels import METHODS, non_singlet, singlet

A0, A1 = 0.35 / (4 * np.pi), 0.0093  # LHA start and roughly a_s(1e4 GeV^2)
NF = 4
RNG = np.random.default_rng(7)
# singlet-like test matrices per order (LO .. N3LO magnitudes), two "N" values; the N3LO
# entry is a dummy gamma^(3) of the size of the real one
GAMMA_S = np.stack(
    [
        RNG.normal(size=(2, 2, 2)) * s + 1j * RNG.normal(size=(2, 2, 2)) * s
        for s in (3.0, 30.0, 300.0, 3000.0)
    ]
)
GAMMA_NS = GAMMA_S[..., 0, 0]
# the real NNLO singlet anomalous dimensions at three points of a Mellin contour
GAMMA_REAL = ad.gamma_singlet(3, np.array([2.0 + 1j, 0.7 + 3j, 5.0 + 0.5j]), NF)
ORDERS = [2, 3, 4]


def _beta_sum(a, order, nf=NF):
    return sum(beta(i, nf) * a ** (i + 2) for i in range(order))


def _ode(generator, shape, a1, a0):
    """Path-ordered solution of dE/da = generator(a) E, generator(a): (m, 2, 2)."""
    out = []
    for i in range(shape):

        def rhs(a, y, i=i):
            return (generator(a)[i] @ y.reshape(2, 2)).ravel()

        s = solve_ivp(
            rhs, (a0, a1), np.eye(2, dtype=complex).ravel(), method="DOP853", rtol=1e-13, atol=1e-15
        )
        out.append(s.y[:, -1].reshape(2, 2))
    return np.stack(out)


def _ode_singlet(g, a1=A1, a0=A0):
    order = g.shape[0]
    return _ode(
        lambda a: sum(g[k] * a ** (k + 1) for k in range(order)) / _beta_sum(a, order),
        g.shape[1],
        a1,
        a0,
    )


def _rel(x, ref):
    return np.abs(x - ref).max() / np.abs(ref).max()


def _gammas(order):
    out = [("random", GAMMA_S[:order])]
    if order <= 3:
        out.append(("real", GAMMA_REAL[:order]))
    return out


@pytest.mark.parametrize("order", ORDERS)
def test_iterate_exact_converges_as_steps_squared(order):
    for _label, g in _gammas(order):
        ref = _ode_singlet(g)
        errs = [_rel(singlet(g, NF, A1, A0, "iterate-exact", n), ref) for n in (10, 20, 40)]
        # eko's midpoint rule is second order: doubling the steps divides the error by 4
        np.testing.assert_allclose(np.log2(np.divide(errs[:-1], errs[1:])), 2.0, atol=0.02)
        # measured 4e-4 (random) and 1e-3 (real NNLO gammas, LHA a_s range) at 10 steps
        assert 1e-4 < errs[0] < 2e-3
        # iterate-expanded is the same singlet kernel in eko (it differs in the non-singlet)
        np.testing.assert_array_equal(
            singlet(g, NF, A1, A0, "iterate-expanded"), singlet(g, NF, A1, A0, "iterate-exact")
        )


@pytest.mark.parametrize("order", ORDERS)
def test_iterate_magnus4_converges_as_steps_to_the_fourth(order):
    for _label, g in _gammas(order):
        ref = _ode_singlet(g)
        errs = [_rel(singlet(g, NF, A1, A0, "iterate-magnus4", n), ref) for n in (3, 6, 12)]
        np.testing.assert_allclose(np.log2(np.divide(errs[:-1], errs[1:])), 4.0, atol=0.15)
        # measured 1e-8 .. 4e-8 at the default 10 steps
        assert _rel(singlet(g, NF, A1, A0, "iterate-magnus4"), ref) < 1e-7


@pytest.mark.parametrize("method", ["iterate-exact", "iterate-magnus4"])
def test_iterate_backward_is_inverse(method):
    g = GAMMA_S
    fwd = singlet(g, NF, A1, A0, method)
    back = singlet(g, NF, A0, A1, method)
    # the same steps reversed: each step is inverted exactly, up to rounding
    np.testing.assert_allclose(back @ fwd, np.broadcast_to(np.eye(2), fwd.shape), atol=1e-12)


@pytest.mark.parametrize("order", ORDERS)
def test_perturbative_exact_converges_to_ode(order):
    for _label, g in _gammas(order):
        ref = _ode_singlet(g)
        errs = [
            _rel(singlet(g, NF, A1, A0, "perturbative-exact", ev_op_max_order=m), ref)
            for m in (4, 8, 16)
        ]
        # the U series converges geometrically in a_s (measured ~1e-11 or better at 16 terms)
        assert errs[0] > errs[1] > errs[2]
        assert errs[2] < 1e-9
        # at eko's default ev_op_max_order = 10: measured 2e-9 .. 1.1e-6
        assert _rel(singlet(g, NF, A1, A0, "perturbative-exact"), ref) < 3e-6


@pytest.mark.parametrize("order", ORDERS)
def test_perturbative_expanded_solves_truncated_r(order):
    g = GAMMA_S[:order]
    r = sol._r_coefficients(g, NF, order, exact=False)
    # dE/da = (1/a) sum_{k<order} a^k R_k E: the ODE the expanded U series solves
    ref = _ode(lambda a: sum(a ** (k - 1) * r[k] for k in range(order)), g.shape[1], A1, A0)
    got = singlet(g, NF, A1, A0, "perturbative-expanded", ev_op_max_order=20)
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-9 * np.abs(ref).max())


@pytest.mark.parametrize(
    "solution", [sol.singlet_perturbative_exact, sol.singlet_perturbative_expanded]
)
def test_perturbative_steps_cancel(solution):
    # U(a_k) E_LO U(a_k)^-1 chained as eko does: the inner U's cancel, so the steps do not
    # matter (which is why kernels.singlet takes one step)
    one = solution(GAMMA_S, NF, A1, A0, ev_op_iterations=1)
    ten = solution(GAMMA_S, NF, A1, A0, ev_op_iterations=10)
    np.testing.assert_allclose(ten, one, rtol=1e-11, atol=1e-13 * np.abs(one).max())


def _j_quad(k, order, a1=A1, a0=A0):
    return quad(lambda a: a ** (k + 1) / _beta_sum(a, order), a0, a1, epsabs=0, epsrel=1e-13)[0]


@pytest.mark.parametrize("order", ORDERS)
def test_decompose_exact_is_one_exponential(order):
    g = GAMMA_S[:order]
    js = [_j_quad(k, order) for k in range(order)]
    ref = np.stack([expm(sum(g[k, i] * js[k] for k in range(order))) for i in range(g.shape[1])])
    np.testing.assert_allclose(singlet(g, NF, A1, A0, "decompose-exact"), ref, rtol=1e-11)


def _ln_e_expanded(g, order, a1=A1, a0=A0):
    """sum gamma^(k) j^(k)_exp with the j's from eko DGLAP.rst (as in test_evolution_integrals)."""
    from tests.physics.test_evolution_integrals import _doc_expanded

    return sum(g[k] * _doc_expanded(k, order, NF, a1, a0) for k in range(order))


@pytest.mark.parametrize("order", ORDERS)
def test_decompose_expanded_is_one_exponential(order):
    g = GAMMA_S[:order]
    ln_e = _ln_e_expanded(g, order)
    ref = np.stack([expm(m) for m in ln_e])
    np.testing.assert_allclose(singlet(g, NF, A1, A0, "decompose-expanded"), ref, rtol=1e-11)
    np.testing.assert_allclose(
        non_singlet(GAMMA_NS[:order], NF, A1, A0, "iterate-expanded"),
        np.exp(_ln_e_expanded(GAMMA_NS[:order], order)),
        rtol=1e-12,
    )


@pytest.mark.parametrize("order", [1, *ORDERS])
def test_non_singlet_exact_vs_quadrature(order):
    g = GAMMA_NS[:order]

    def ln_e(part):
        # ln E = int_a0^a1 gamma(a) / beta(a) da, gamma and beta truncated at the order
        def integrand(a):
            return part(sum(g[k] * a ** (k + 1) for k in range(order))) / _beta_sum(a, order)

        return np.array(
            [
                quad(lambda a, i=i: integrand(a)[i], A0, A1, epsrel=1e-13)[0]
                for i in range(g.shape[1])
            ]
        )

    ref = np.exp(ln_e(np.real) + 1j * ln_e(np.imag))
    for method in ("iterate-exact", "decompose-exact", "perturbative-exact", "iterate-magnus4"):
        np.testing.assert_allclose(non_singlet(g, NF, A1, A0, method), ref, rtol=1e-11)


def _u_doc(g, order):
    """U_1..U_3 of the non-singlet from eko DGLAP.rst (transcribed), scalars."""
    b0, b1, b2, b3 = beta(0, NF), b(1, NF), b(2, NF), b(3, NF)
    r0 = g[0] / b0
    r1 = g[1] / b0 - b1 * r0
    u1 = r1
    u2 = u3 = 0.0
    if order >= 3:
        r2 = g[2] / b0 - b1 * r1 - b2 * r0
        u2 = 0.5 * (r1 * r1 + r2)
        if order >= 4:
            r3 = g[3] / b0 - b1 * r2 - b2 * r1 - b3 * r0
            u3 = (r3 + r2 * u1 + r1 * u2) / 3.0
    return u1, u2, u3


@pytest.mark.parametrize("order", ORDERS)
def test_non_singlet_truncated_is_eko_formula(order):
    g, a1, a0 = GAMMA_NS[:order], A1, A0
    u1, u2, u3 = _u_doc(g, order)
    e0 = np.exp(g[0] * np.log(a1 / a0) / beta(0, NF))
    fact = 1 + u1 * (a1 - a0)
    if order >= 3:
        fact = fact + a1**2 * u2 - a1 * a0 * u1**2 + a0**2 * (u1**2 - u2)
    if order >= 4:
        fact = fact + (
            a1**3 * u3
            - a1**2 * a0 * u2 * u1
            + a1 * a0**2 * u1 * (u1**2 - u2)
            - a0**3 * (u1**3 - 2 * u1 * u2 + u3)
        )
    np.testing.assert_allclose(non_singlet(g, NF, a1, a0, "truncated"), e0 * fact, rtol=1e-12)
    num = 1 + a1 * u1 + a1**2 * u2 + a1**3 * u3
    den = 1 + a0 * u1 + a0**2 * u2 + a0**3 * u3
    np.testing.assert_allclose(
        non_singlet(g, NF, a1, a0, "ordered-truncated"), e0 * num / den, rtol=1e-12
    )


def _singlet_truncated_terms(order, a1, a0, u1, u2, u3):
    """The terms of total power 1, 2, 3 of the singlet truncated solution, eko DGLAP.rst
    (transcribed; the a1 a0 term with the sign of U(a0)^-1 = 1 - a0 U1 + ...), acting on E."""
    terms = [lambda e: a1 * u1 @ e - a0 * e @ u1]
    if order >= 3:
        terms.append(lambda e: a1**2 * u2 @ e - a1 * a0 * u1 @ e @ u1 + a0**2 * e @ (u1 @ u1 - u2))
    if order >= 4:
        terms.append(
            lambda e: (
                a1**3 * u3 @ e
                - a1**2 * a0 * u2 @ e @ u1
                + a1 * a0**2 * u1 @ e @ (u1 @ u1 - u2)
                - a0**3 * e @ (u1 @ u1 @ u1 - u1 @ u2 - u2 @ u1 + u3)
            )
        )
    return terms


@pytest.mark.parametrize("order", ORDERS)
def test_singlet_truncated_is_eko_formula(order):
    g, a1, a0 = GAMMA_S[:order], A1, A0
    u = sol.u_matrices(g, NF, 4, exact=False)
    e0 = np.stack([expm(m) for m in g[0] * np.log(a1 / a0) / beta(0, NF)])
    terms = _singlet_truncated_terms(order, a1, a0, u[1], u[2], u[3])
    # every term on E_LO, as DGLAP.rst writes it
    ref = e0 + sum(t(e0) for t in terms)
    for method in ("truncated", "ordered-truncated"):
        np.testing.assert_allclose(singlet(g, NF, a1, a0, method), ref, rtol=1e-12)


@pytest.mark.parametrize("order", ORDERS)
def test_truncated_differs_at_next_power(order):
    g, gns = GAMMA_S[:order] * 0.1, GAMMA_NS[:order] * 0.1

    def powers(full, trunc):
        diffs = []
        for lam in (0.01, 0.02):
            # a0, a1 scaled at fixed ratio keep E_LO fixed; the dropped terms are O(a^order)
            diffs.append(np.abs(full(lam * A1, lam * A0) - trunc(lam * A1, lam * A0)).max())
        return np.log2(diffs[1] / diffs[0])

    # U(a1) E_LO U(a0)^-1 in full (R truncated as the truncated methods do)
    def full(a1, a0):
        return singlet(g, NF, a1, a0, "perturbative-expanded", 1, 30)

    p = powers(full, lambda a1, a0: singlet(g, NF, a1, a0, "truncated"))
    np.testing.assert_allclose(p, order, atol=0.05)
    for method in ("truncated", "ordered-truncated"):
        p = powers(
            lambda a1, a0: non_singlet(gns, NF, a1, a0, "iterate-expanded"),
            lambda a1, a0, m=method: non_singlet(gns, NF, a1, a0, m),
        )
        np.testing.assert_allclose(p, order, atol=0.05)


# eko's singlet truncated (= ordered-truncated) nests its terms, its non-singlet does not
@pytest.mark.parametrize(
    "method", [m for m in METHODS if m not in ("truncated", "ordered-truncated")]
)
def test_commuting_singlet_is_non_singlet(method):
    g = np.zeros(GAMMA_S.shape, dtype=complex)
    g[..., 0, 0] = GAMMA_NS
    g[..., 1, 1] = 2.0 * GAMMA_NS
    e = singlet(g, NF, A1, A0, method, ev_op_max_order=30)
    # diagonal gammas commute: the singlet is two non-singlets, except where a method's
    # singlet and non-singlet differ by design (iterate-*: the step rule, measured 4e-4 for
    # iterate-exact and 1.5e-8 for magnus4)
    rtol = {"iterate-exact": 1e-3, "iterate-expanded": 1e-3, "iterate-magnus4": 5e-8}
    # (ordered-truncated: its singlet is the truncated one, in eko as here)
    ns_method = {"iterate-expanded": "iterate-exact", "ordered-truncated": "truncated"}.get(
        method, method
    )
    for i, scale in ((0, 1.0), (1, 2.0)):
        np.testing.assert_allclose(
            e[..., i, i],
            non_singlet(scale * GAMMA_NS, NF, A1, A0, ns_method),
            rtol=rtol.get(method, 1e-11),
        )
    np.testing.assert_allclose(e[..., 0, 1], 0.0, atol=1e-15)


def test_non_singlet_composition():
    am = 0.5 * (A0 + A1)
    # E(a1, am) E(am, a0) = E(a1, a0) where the solution is F(a1)/F(a0)-like: the closed forms,
    # expanded ones included, and ordered-truncated; not truncated
    for method in ("iterate-exact", "iterate-expanded", "ordered-truncated"):
        np.testing.assert_allclose(
            non_singlet(GAMMA_NS, NF, A1, am, method) * non_singlet(GAMMA_NS, NF, am, A0, method),
            non_singlet(GAMMA_NS, NF, A1, A0, method),
            rtol=1e-13,
        )
    split = non_singlet(GAMMA_NS, NF, A1, am, "truncated") * non_singlet(
        GAMMA_NS, NF, am, A0, "truncated"
    )
    assert _rel(split, non_singlet(GAMMA_NS, NF, A1, A0, "truncated")) > 1e-6
