"""The vocabulary of the cards and the physics, defined once: orders and method names.

Imports nothing from ekodask, so that cards, physics and graph can all import it.
"""

__all__ = ["EVOLUTION_METHODS", "INVERSION_METHODS", "MAX_ORDER", "SCVAR_METHODS"]

MAX_ORDER = 3
"""Highest perturbative order of the evolution: 1 = LO, 2 = NLO, 3 = NNLO."""

EVOLUTION_METHODS: tuple[str, ...] = ("iterate-exact", "truncated")
"""Solution methods of DGLAP in N space: the exact solution (non-singlet in closed form, singlet
as a path-ordered product) and the expansion of U(a1) E_LO U(a0)^-1 truncated at the order
(Vogt, hep-ph/0408244 Sec. 2)."""

INVERSION_METHODS: tuple[str, ...] = ("exact", "expanded")
"""Backward matching: exact inverse of the N-space matching, or its series truncated at the
order (Bierenbaum-Blumlein-Klein, 0901.0669)."""

SCVAR_METHODS: tuple[str, ...] = ("exponentiated", "expanded")
"""Factorisation-scale variation schemes (eko's names; arXiv:2202.02338 Sec. 2.3)."""
