"""The vocabulary of the cards and the physics, defined once: orders and method names.

Imports nothing from ekodask, so that cards, physics and graph can all import it.
"""

__all__ = [
    "COUPLING_MODES",
    "EKO_METHODS",
    "EVOLUTION_METHODS",
    "INVERSION_METHODS",
    "MAX_MATCHING_ORDER",
    "MAX_ORDER",
    "N3LO_AD_VINTAGES",
    "N3LO_NF",
    "SCVAR_METHODS",
]

MAX_ORDER = 4
"""Highest perturbative order of the evolution: 1 = LO, 2 = NLO, 3 = NNLO, 4 = aN3LO (the
FHMRUVV four-loop parametrisations, nf = 3..5 only)."""

MAX_MATCHING_ORDER = 2
"""Highest power of a_s in the heavy-quark matching (OMEs): the O(a_s^3) OMEs are not
implemented (Ablinger, Bluemlein et al. 1406.4654, 2211.05462, 2311.00644, 2403.00513)."""

N3LO_NF = (3, 4, 5)
"""Flavour numbers for which the four-loop (order 4) parametrisations exist."""

N3LO_AD_VINTAGES: tuple[str, ...] = ("2024", "2023")
"""Vintages of the FHMRUVV singlet parametrisations: "2024" (P_gq 2404.09701, P_gg
2410.08089, as eko 0.15.7; the default) or "2023" (both 2310.05744)."""

EKO_METHODS: tuple[str, ...] = (
    "iterate-exact",
    "iterate-expanded",
    "truncated",
    "ordered-truncated",
    "decompose-exact",
    "decompose-expanded",
    "perturbative-exact",
    "perturbative-expanded",
)
"""eko's solution methods of DGLAP in N space, under eko's names and with eko's definitions
(arXiv:2202.02338; Vogt, hep-ph/0408244 Sec. 2)."""

EVOLUTION_METHODS: tuple[str, ...] = (*EKO_METHODS, "iterate-magnus4")
"""All solution methods: eko's, plus ekodask's own ``iterate-magnus4`` (fourth-order Magnus
steps uniform in ln a_s; round one's ``iterate-exact``)."""

COUPLING_MODES: dict[str, str] = {
    "iterate-exact": "exact",
    "decompose-exact": "exact",
    "perturbative-exact": "exact",
    "iterate-magnus4": "exact",
    "iterate-expanded": "expanded",
    "decompose-expanded": "expanded",
    "perturbative-expanded": "expanded",
    "truncated": "expanded",
    "ordered-truncated": "expanded",
}
"""How a_s runs (physics.coupling ``method``) for each solution method: the *-exact methods (and
ekodask's iterate-magnus4) solve the RGE exactly, the *-expanded and both truncated ones use the
expanded solution (Vogt, hep-ph/0408244 Sec. 2), as eko 0.15.7 pairs them (read in its
``couplings.couplings_mod_ev``), so that a card means the same computation in both programs."""

INVERSION_METHODS: tuple[str, ...] = ("exact", "expanded")
"""Backward matching: exact inverse of the N-space matching, or its series truncated at the
order (Bierenbaum-Blumlein-Klein, 0901.0669)."""

SCVAR_METHODS: tuple[str, ...] = ("exponentiated", "expanded")
"""Factorisation-scale variation schemes (eko's names; arXiv:2202.02338 Sec. 2.3)."""
