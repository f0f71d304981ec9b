"""eko 0.15's new-style runcards to ekodask's cards and back.

eko's theory card (``order``, ``couplings``, ``heavy``, ``xif``, ...) and operator card
(``init``, ``mugrid``, ``xgrid``, ``configs``, ``debug``, ``eko_version``) are described in
eko's ``src/eko/io/runcards.py`` and notes/eko_format.md sections 1.4-1.5. Scales in both are
linear except ekodask's ``mu2grid``. Every setting ekodask supports maps; any other is refused
with a :class:`~ekodask.errors.CardError` naming the eko key. The simple keys are rows of
:data:`ENTRIES`: a row maps its key once the ekodask card has it, and until then accepts only the
value ekodask's fixed behaviour implies (and writes that value into eko cards).

Round trip ``from_eko(*to_eko(t, o)) == (t, o)`` holds for cards in canonical form: the fields
ekodask ignores hold their defaults (``nf_ffns`` in VFNS, ``matching_ratios`` in FFNS), so do
the keys of :data:`OUTPUT_ONLY` (what is stored, e.g. ``error_bounds``), ``nf0``
equals ``nf_ffns`` in FFNS, a mu2grid entry names nf only where it differs from the default
(upper patch on a threshold), and each mu2 has at most 15 significant digits (see
:func:`mu2_from_mu`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from ..cards import OperatorCard, TheoryCard, _defaults, load_cards, thresholds_mu
from ..errors import CardError
from ..options import EKO_METHODS, EVOLUTION_METHODS

__all__ = [
    "ALIASES",
    "ALPHA_EM",
    "EKO_N3LO_VINTAGE",
    "EKO_STAND_IN",
    "ENTRIES",
    "OUTPUT_ONLY",
    "REFUSED",
    "STRUCTURAL",
    "Entry",
    "eko_intrinsic",
    "from_eko",
    "is_eko_operator",
    "is_eko_theory",
    "mu2_from_mu",
    "mu_from_mu2",
    "to_eko",
]

ALPHA_EM = 0.007496252
"""alpha_em written into eko theory cards; unused by pure-QCD evolution (order [n, 0])."""

EKO_N3LO_VINTAGE = "2024"
"""The aN3LO parametrisations eko 0.15.7 uses (ekodask's ``n3lo_ad_vintage``); eko has no key."""

_ON_THRESHOLD = 1e-12  # relative distance that counts as sitting on a threshold, as ekodask


# ---------------------------------------------------------------------------------------------
# the keys of eko's cards: (required, optional) per level


_THEORY_KEYS = (
    {"order", "couplings", "heavy", "xif", "n3lo_ad_variation"},
    {"use_fhmruvv", "matching_order"},
)
_COUPLINGS_KEYS = ({"alphas", "alphaem", "ref"}, {"em_running"})
_HEAVY_KEYS = ({"masses", "masses_scheme", "matching_ratios"}, set())
_OPERATOR_KEYS = ({"init", "mugrid", "xgrid", "configs", "debug"}, {"eko_version"})
_CONFIGS_KEYS = (
    {
        "evolution_method",
        "ev_op_max_order",
        "ev_op_iterations",
        "scvar_method",
        "inversion_method",
        "interpolation_polynomial_degree",
        "interpolation_is_log",
        "polarized",
        "time_like",
    },
    {"n_integration_cores"},
)
_DEBUG_KEYS = (set(), {"skip_singlet", "skip_non_singlet"})


def is_eko_theory(data: Any) -> bool:
    """Whether a mapping looks like eko's new-style theory card (it has couplings or heavy)."""
    return isinstance(data, Mapping) and ("couplings" in data or "heavy" in data)


def is_eko_operator(data: Any) -> bool:
    """Whether a mapping looks like eko's operator card (it has init, mugrid or configs)."""
    return isinstance(data, Mapping) and bool({"init", "mugrid", "configs"} & set(data))


# ---------------------------------------------------------------------------------------------
# scales


def mu_from_mu2(mu2: float) -> float:
    """The linear scale written into eko's mugrid for mu2: the correctly rounded sqrt."""
    return math.sqrt(mu2)


def mu2_from_mu(mu: float) -> float:
    """The mu2 a linear eko scale stands for: of the floats y with sqrt(y) == mu, the shortest.

    Several floats share one rounded square root (sqrt(10.0) == sqrt(10.000000000000002)); the
    one with the shortest decimal form is what a card or pineko's ``float(sqrt(q2))`` started
    from, so every mu2 of at most 15 significant digits survives mu2 -> mu -> mu2 exactly.
    Ties go to mu * mu (eko's own key). The result is within 3 ulps of mu * mu.
    """
    square = mu * mu
    best = square
    for k in range(1, 4):
        for y in (_ulps(square, k), _ulps(square, -k)):
            if math.sqrt(y) == mu and len(repr(y)) < len(repr(best)):
                best = y
    return best


def _ulps(x: float, k: int) -> float:
    for _ in range(abs(k)):
        x = math.nextafter(x, math.inf if k > 0 else -math.inf)
    return x


# ---------------------------------------------------------------------------------------------
# the table of simple keys


@dataclass(frozen=True)
class Entry:
    """One eko key and the ekodask key it maps to.

    ``eko``: 'theory' or 'operator' and the dotted eko key; ``card``/``key``: the ekodask card
    and key. While the ekodask card lacks ``key`` (not implemented), the eko value must equal
    ``fixed(theory, operator)`` (ekodask dicts) wherever ``relevant(theory, operator)``;
    ``why`` says what ekodask does instead.
    """

    eko: tuple[str, str]
    card: str
    key: str
    fixed: Callable[[dict, dict], Any]
    why: str
    relevant: Callable[[dict, dict], bool] = lambda t, o: True
    to_eko: Callable[[Any], Any] = lambda v: v
    from_eko: Callable[[Any], Any] = lambda v: v


def _backward(t: dict, o: dict) -> bool:
    """Whether some point lies below nf0 (eko matches it backwards, with inversion_method)."""
    return t["scheme"] == "VFNS" and any(
        isinstance(p, list | tuple) and p[1] < t["nf0"] for p in o["mu2grid"]
    )


def _qcd_order(value: Any) -> Any:
    """eko's [n, 0] as ekodask's n; anything else unchanged, for the card to refuse."""
    if isinstance(value, list | tuple) and len(value) == 2 and value[1] == 0:
        return value[0]
    return value


ENTRIES: tuple[Entry, ...] = (
    Entry(("theory", "xif"), "theory", "xif", lambda t, o: 1.0, ""),
    Entry(
        ("theory", "n3lo_ad_variation"),
        "theory",
        "n3lo_ad_variation",
        lambda t, o: [0] * 7,
        "the central N3LO anomalous dimensions only",
        to_eko=list,
        from_eko=lambda v: list(v) if isinstance(v, list | tuple) else v,
    ),
    Entry(
        ("theory", "use_fhmruvv"),
        "theory",
        "use_fhmruvv",
        lambda t, o: True,
        "the FHMRUVV N3LO anomalous dimensions only",
        relevant=lambda t, o: t["order"] >= 4,
    ),
    Entry(
        ("theory", "matching_order"),
        "theory",
        "matching_order",
        lambda t, o: [t["order"] - 1, 0],
        "matching one order below the evolution, [order - 1, 0]",
        to_eko=lambda v: [v, 0],
        from_eko=_qcd_order,
    ),
    Entry(
        ("operator", "configs.evolution_method"),
        "operator",
        "method",
        lambda t, o: "iterate-exact",
        "",
    ),
    Entry(
        ("operator", "configs.ev_op_iterations"),
        "operator",
        "ev_op_iterations",
        lambda t, o: 10,
        "",
    ),
    Entry(
        ("operator", "configs.interpolation_polynomial_degree"),
        "operator",
        "interpolation_degree",
        lambda t, o: 4,
        "",
    ),
    Entry(
        ("operator", "configs.ev_op_max_order"),
        "operator",
        "ev_op_max_order",
        lambda t, o: [10, 0],
        "no perturbative-* method, which alone reads it",
        relevant=lambda t, o: o["method"].startswith("perturbative"),
        to_eko=lambda v: [v, 0],
        from_eko=_qcd_order,
    ),
    Entry(
        ("operator", "configs.scvar_method"),
        "operator",
        "scvar_method",
        lambda t, o: None if t["xif"] == 1.0 else "exponentiated",
        "",
        relevant=lambda t, o: t["xif"] != 1.0,
    ),
    Entry(
        ("operator", "configs.inversion_method"),
        "operator",
        "inversion_method",
        lambda t, o: "exact",
        "exact inversion of the backward matching",
        relevant=_backward,
        from_eko=lambda v: _defaults("operator")["inversion_method"] if v is None else _normal(v),
    ),
    Entry(
        ("operator", "configs.interpolation_is_log"),
        "operator",
        "interpolation_is_log",
        lambda t, o: True,
        "Lagrange interpolation in log x only",
    ),
    # eko's operator configs, ekodask's theory card (they choose the physics, as order does)
    Entry(("operator", "configs.polarized"), "theory", "polarized", lambda t, o: False, ""),
    Entry(("operator", "configs.time_like"), "theory", "time_like", lambda t, o: False, ""),
    Entry(
        ("operator", "debug.skip_singlet"),
        "operator",
        "skip_singlet",
        lambda t, o: False,
        "the full singlet sector always",
    ),
    Entry(
        ("operator", "debug.skip_non_singlet"),
        "operator",
        "skip_non_singlet",
        lambda t, o: False,
        "the full non-singlet sector always",
    ),
)
"""Simple keys, one row each; a row becomes a direct mapping once its ekodask key exists."""

STRUCTURAL: dict[str, tuple[str, str]] = {
    "order": ("theory", "order.0"),
    "alphas": ("theory", "couplings.alphas"),
    "alphas_scale": ("theory", "couplings.ref.0"),
    "masses": ("theory", "heavy.masses"),
    "matching_ratios": ("theory", "heavy.matching_ratios"),
    "scheme": ("theory", "heavy.matching_ratios"),
    "nf_ffns": ("theory", "heavy.matching_ratios"),
    "nf0": ("operator", "init.1"),
    "mu0": ("operator", "init.0"),
    "mu2grid": ("operator", "mugrid"),
    "xgrid": ("operator", "xgrid"),
}
"""ekodask keys translated by :func:`to_eko`/:func:`from_eko` themselves (not by an ENTRIES row),
with the eko key they become. FFNS is eko's matching ratios 0 below nf_ffns and inf above."""

ALIASES: dict[tuple[str, str], tuple[str, str]] = {
    ("operator", "polarized"): ("theory", "polarized"),
    ("operator", "time_like"): ("theory", "time_like"),
}
"""ekodask keys accepted in a second card and moved into their home before any translation
(:func:`ekodask.cards.load_cards`): translated as the home key's ENTRIES row."""

REFUSED: dict[str, str] = {
    "xir": "eko 0.15 has no renormalisation-scale ratio (pineko varies mu_R on the grid, not in "
    "the EKO), expected 1",
    "intrinsic": "eko 0.15 cards have no intrinsic switch: eko's operators carry intrinsic-quark "
    "input columns for every heavy flavour inactive at mu0 (an export takes exactly those, "
    "{eko}, recorded in the tar's ekodask.yaml); expected []",
    "n3lo_ad_vintage": f"eko 0.15.7 has no such key and uses the {EKO_N3LO_VINTAGE!r} aN3LO "
    f"parametrisations, expected {EKO_N3LO_VINTAGE!r}",
}
"""ekodask keys eko's cards cannot hold: :func:`to_eko` refuses any value but the default,
except, for an export, the ``intrinsic`` of :func:`eko_intrinsic` (eko's own behaviour)."""

OUTPUT_ONLY: dict[str, str] = {
    "error_bounds": "eko always stores each operator's error; ekodask may leave its bounds out "
    "(the operators are the same), and an export then writes NaN errors (no estimate)",
}
"""ekodask keys that choose what is stored, not what is computed, and that eko's cards have no
place for: :func:`to_eko` leaves them out, :func:`from_eko` takes ekodask's default."""


def eko_intrinsic(theory: Mapping[str, Any]) -> list[int] | None:
    """The heavy flavours eko 0.15 treats as intrinsic for an ekodask theory dict (VFNS: those
    inactive at mu0, h > nf0); None in FFNS (not compared with eko there).

    Measured (tests/benchmarks/test_eko_io.py, NNLO VFNS, nf0 = 4): ekodask's operators with
    intrinsic = [5, 6] equal eko's on every input column to 4e-4 (x_in < 1); with [] the b and
    t columns are zero where eko's are not."""
    if theory["scheme"] != "VFNS":
        return None
    return [h for h in (4, 5, 6) if h > theory["nf0"]]


EKO_STAND_IN: dict[str, str] = {
    m: "iterate-exact" for m in EVOLUTION_METHODS if m not in EKO_METHODS
}
"""eko's method written into an exported tar for ekodask's own methods (``iterate-magnus4``):
eko's ``iterate-exact``, the same path-ordered solution with a_s run exactly (pineko derives
the coupling running of the FK table's alpha_s from it); the real method is recorded in the
tar's ``ekodask.yaml``. :func:`to_eko` refuses them except for an export."""

_CLASSES = {"theory": TheoryCard, "operator": OperatorCard}


def _has(card: str, key: str) -> bool:
    return key in {f.name for f in fields(_CLASSES[card])}


# ---------------------------------------------------------------------------------------------
# ekodask -> eko


def _nf_at(t: dict, mu: float) -> int:
    """Active flavours at the linear scale mu as ekodask's coupling counts them."""
    if t["scheme"] == "FFNS":
        return t["nf_ffns"]
    thresholds = [r * m for r, m in zip(t["matching_ratios"], t["masses"], strict=True)]
    mu2 = mu * mu
    if any(math.isclose(mu2, h * h, rel_tol=_ON_THRESHOLD) for h in thresholds):
        return t["nf0"]
    return 3 + sum(h * h <= mu2 * (1.0 + _ON_THRESHOLD) for h in thresholds)


def _default_nf(t: dict, mu2: float) -> int:
    """nf of a mu2grid entry without one: ekodask's upper patch on a threshold."""
    if t["scheme"] == "FFNS":
        return t["nf_ffns"]
    thresholds = [r * m for r, m in zip(t["matching_ratios"], t["masses"], strict=True)]
    return 3 + sum(h * h <= mu2 * (1.0 + _ON_THRESHOLD) for h in thresholds)


def _set(card: dict, dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for p in parents:
        card = card.setdefault(p, {})
    card[last] = value


def to_eko(
    theory: Any, operator: Any, *, for_export: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """eko 0.15 (theory, operator) runcards, plain YAML-able dicts, for ekodask cards.

    ``theory``/``operator``: cards, dicts or YAML paths (validated by :func:`load_cards`).
    Raises CardError for ekodask settings eko cannot express (:data:`REFUSED`: ``xir`` != 1,
    ``intrinsic``) and for ekodask's own methods. ``for_export`` (the tar writer, which records
    both in ``ekodask.yaml``): eko's method of :data:`EKO_STAND_IN` is written for ekodask's
    own, and ``intrinsic`` may also be :func:`eko_intrinsic`, what eko's operators hold.
    FFNS with nf flavours is written as eko's benchmarks do: matching ratios 0 below nf and
    inf above, so no threshold is crossed.
    """
    th, op = load_cards(theory, operator)
    t, o = th.to_dict(), op.to_dict()
    default = _defaults("theory")
    for key, why in REFUSED.items():
        if key == "intrinsic" and for_export and t[key] == eko_intrinsic(t):
            continue
        if t[key] != default[key]:
            if key == "intrinsic":
                why = why.format(eko=eko_intrinsic(t) or "none in FFNS")
            raise CardError(f"theory card: key '{key}': got {t[key]!r}, {why}")
    if o["method"] in EKO_STAND_IN:
        if not for_export:
            raise CardError(
                f"operator card: key 'method': got {o['method']!r}, ekodask's own method has no "
                f"eko name (expected one of eko's: {', '.join(EKO_METHODS)})"
            )
        o["method"] = EKO_STAND_IN[o["method"]]
    if t["scheme"] == "FFNS":
        ratios = [0.0 if 4 + i <= t["nf_ffns"] else math.inf for i in range(3)]
    else:
        ratios = [float(r) for r in t["matching_ratios"]]
    eko_t: dict[str, Any] = {
        "order": [t["order"], 0],
        "couplings": {
            "alphas": t["alphas"],
            "alphaem": ALPHA_EM,
            "ref": [t["alphas_scale"], _nf_at(t, t["alphas_scale"])],
            "em_running": False,
        },
        "heavy": {
            "masses": [[float(m), math.nan] for m in t["masses"]],
            "masses_scheme": "pole",
            "matching_ratios": ratios,
        },
    }
    mugrid = []
    for entry in o["mu2grid"]:
        mu2, nf = (entry[0], entry[1]) if isinstance(entry, list) else (entry, None)
        mugrid.append([mu_from_mu2(mu2), _default_nf(t, mu2) if nf is None else nf])
    eko_o: dict[str, Any] = {
        "init": [o["mu0"], t["nf_ffns"] if t["scheme"] == "FFNS" else t["nf0"]],
        "mugrid": mugrid,
        "xgrid": list(o["xgrid"]),
        "configs": {"n_integration_cores": 1},
        "debug": {},
    }
    cards = {"theory": eko_t, "operator": eko_o}
    ours = {"theory": t, "operator": o}
    for e in ENTRIES:
        value = e.to_eko(ours[e.card][e.key]) if _has(e.card, e.key) else e.fixed(t, o)
        _set(cards[e.eko[0]], e.eko[1], value)
    eko_t["n3lo_ad_variation"] = list(eko_t["n3lo_ad_variation"])
    return eko_t, eko_o


# ---------------------------------------------------------------------------------------------
# eko -> ekodask


class _Reader:
    """Reads one eko card, naming the card (and its file) and the dotted key on failure."""

    def __init__(self, name: str, source: str | None) -> None:
        self.name = f"eko {name} card" + (f" '{source}'" if source else "")

    def fail(self, key: str, value: Any, expected: str) -> CardError:
        return CardError(f"{self.name}: key '{key}': got {value!r}, {expected}")

    def keys(self, data: Any, where: str, allowed: tuple[set[str], set[str]]) -> dict:
        required, optional = allowed
        if not isinstance(data, Mapping):
            raise self.fail(where, data, "expected a mapping")
        prefix = f"{where}." if where else ""
        for key in data:
            if key not in required | optional:
                known = ", ".join(sorted(required | optional))
                raise CardError(f"{self.name}: unknown key '{prefix}{key}' (known keys: {known})")
        for key in sorted(required):
            if key not in data:
                raise CardError(f"{self.name}: required key '{prefix}{key}' is missing")
        return dict(data)

    def pair(self, value: Any, key: str) -> list:
        if not isinstance(value, list | tuple) or len(value) != 2:
            raise self.fail(key, value, "expected a pair [value, value]")
        return list(value)


def _eko_value(cards: dict, where: tuple[str, str], order: int) -> Any:
    """The value of an eko key, or eko's default for the optional ones."""
    card, dotted = cards[where[0]], where[1]
    try:
        for part in dotted.split("."):
            card = card[part]
    except (KeyError, TypeError):
        card = None
    if card is not None:
        return card
    defaults = {"use_fhmruvv": True, "matching_order": [order - 1, 0]}
    return defaults.get(dotted, False if dotted.startswith("debug.") else None)


def from_eko(
    eko_theory: Mapping[str, Any],
    eko_operator: Mapping[str, Any],
    sources: tuple[str | None, str | None] = (None, None),
) -> tuple[dict[str, Any], dict[str, Any]]:
    """ekodask (theory, operator) card dicts for eko 0.15 runcards; CardError names the eko key.

    ``sources``: the cards' file names, for the messages. The result is validated by
    :func:`~ekodask.cards.load_cards` and returned as the cards' plain dicts.
    """
    rt, ro = _Reader("theory", sources[0]), _Reader("operator", sources[1])
    et = rt.keys(eko_theory, "", _THEORY_KEYS)
    eo = ro.keys(eko_operator, "", _OPERATOR_KEYS)
    coup = rt.keys(et["couplings"], "couplings", _COUPLINGS_KEYS)
    heavy = rt.keys(et["heavy"], "heavy", _HEAVY_KEYS)
    ro.keys(eo["configs"], "configs", _CONFIGS_KEYS)
    ro.keys(eo["debug"] if eo["debug"] is not None else {}, "debug", _DEBUG_KEYS)
    defaults = _defaults("theory")

    order = rt.pair(et["order"], "order")
    if order[1] != 0:
        raise rt.fail("order", et["order"], "ekodask has no QED evolution (expected [n, 0])")
    scheme = heavy["masses_scheme"]
    if not isinstance(scheme, str) or scheme.lower() != "pole":
        raise rt.fail("heavy.masses_scheme", scheme, "ekodask has pole masses only (expected pole)")
    masses = heavy["masses"]
    if not isinstance(masses, list | tuple) or len(masses) != 3:
        raise rt.fail("heavy.masses", masses, "expected three [mass, scale] pairs")
    masses = [rt.pair(m, f"heavy.masses.{i}")[0] for i, m in enumerate(masses)]
    ratios = heavy["matching_ratios"]
    if not isinstance(ratios, list | tuple) or len(ratios) != 3:
        raise rt.fail("heavy.matching_ratios", ratios, "expected three ratios")
    ratios = list(ratios)
    t: dict[str, Any] = {
        "order": order[0],
        "alphas": coup["alphas"],
        "masses": masses,
        "xir": 1.0,
        "intrinsic": [],
    }
    is_ffns = [r in (0, 0.0, math.inf) for r in ratios]
    if all(is_ffns):
        nf = 3 + sum(1 for r in ratios if r == 0)
        if ratios != [0.0] * (nf - 3) + [math.inf] * (6 - nf):
            raise rt.fail(
                "heavy.matching_ratios", ratios, "expected 0 below inf for a fixed flavour number"
            )
        t.update(scheme="FFNS", nf_ffns=nf, matching_ratios=defaults["matching_ratios"])
    elif any(r == math.inf for r in ratios):
        i = ratios.index(math.inf)
        raise rt.fail(
            f"heavy.matching_ratios.{i}", ratios[i], "ekodask switches thresholds off only in FFNS"
        )
    else:
        t.update(scheme="VFNS", nf_ffns=defaults["nf_ffns"], matching_ratios=ratios)

    init = ro.pair(eo["init"], "init")
    ref = rt.pair(coup["ref"], "couplings.ref")
    t.update(alphas_scale=ref[0], nf0=init[1])
    o: dict[str, Any] = {"mu0": init[0], "xgrid": eo["xgrid"]}
    if not isinstance(eo["mugrid"], list | tuple) or not eo["mugrid"]:
        raise ro.fail("mugrid", eo["mugrid"], "expected a non-empty list of [mu, nf]")
    points = []
    for i, entry in enumerate(eo["mugrid"]):
        mu, nf = ro.pair(entry, f"mugrid.{i}")
        if isinstance(mu, bool) or not isinstance(mu, int | float) or not mu > 0:
            raise ro.fail(f"mugrid.{i}.0", mu, "expected a positive scale in GeV")
        points.append((mu2_from_mu(float(mu)), nf))
    o["mu2grid"] = [[mu2, nf] for mu2, nf in points]

    if t["scheme"] == "FFNS" and init[1] != t["nf_ffns"]:
        raise ro.fail("init.1", init[1], f"expected the fixed flavour number {t['nf_ffns']}")
    cards = {"theory": et, "operator": eo}
    readers = {"theory": rt, "operator": ro}
    ours = {"theory": t, "operator": o}
    # mapped rows first: the fixed values of the others may depend on them
    for e in ENTRIES:
        if _has(e.card, e.key):
            ours[e.card][e.key] = e.from_eko(_eko_value(cards, e.eko, order[0]))
    xif = t.get("xif")
    if o.get("scvar_method") is None and isinstance(xif, int | float) and xif > 0:
        # eko: xif != 1 without a scheme is no variation at all (pineko's scheme C, which puts
        # xif into the mugrid instead): the same computation as ekodask's xif = 1
        t["xif"] = 1.0
    _validated(t, o, rt, ro)  # what ekodask's cards refuse is named first
    if _backward(t, o) and _eko_value(cards, ("operator", "configs.inversion_method"), 0) is None:
        raise ro.fail(
            "configs.inversion_method",
            None,
            "expected exact or expanded where a point lies below nf0 (eko 0.15.7 applies the "
            "forward matching there when it is null)",
        )
    for e in ENTRIES:
        if _has(e.card, e.key) or not e.relevant(t, o):
            continue
        value, want = _eko_value(cards, e.eko, order[0]), e.fixed(t, o)
        if _normal(value) != _normal(want):
            raise readers[e.eko[0]].fail(
                e.eko[1], value, f"ekodask does {e.why} (expected {want!r})"
            )

    th, op = _validated(t, o, rt, ro)
    _check_ref_nf(th, t, ref, rt)
    # nf only where it differs from ekodask's default choice
    o["mu2grid"] = [mu2 if nf == _default_nf(t, mu2) else [mu2, nf] for mu2, nf in points]
    th, op = _validated(t, o, rt, ro)
    return th.to_dict(), op.to_dict()


def _normal(value: Any) -> Any:
    """Lists for tuples, lower-case strings (eko accepts enum names too)."""
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    if isinstance(value, str):
        return value.lower()
    return value


_KEY_OF = {e.key: e.eko for e in ENTRIES} | STRUCTURAL


def _validated(t: dict, o: dict, rt: _Reader, ro: _Reader) -> tuple[TheoryCard, OperatorCard]:
    """Validate with ekodask's cards; a failure is reported under the eko key it came from."""
    try:
        return load_cards(t, o)
    except CardError as err:
        text = str(err)
        key = text.split("key '", 1)[1].split("'", 1)[0] if "key '" in text else ""
        top = key.split(".")[0]
        card, eko_key = _KEY_OF.get(
            top, ("theory" if text.startswith("theory") else "operator", "")
        )
        reader = rt if card == "theory" else ro
        where = f"key '{eko_key}'" if eko_key else "cards"
        raise CardError(f"{reader.name}: {where}: not supported by ekodask ({text})") from None


def _check_ref_nf(th: TheoryCard, t: dict, ref: list, rt: _Reader) -> None:
    """eko's nf at the alpha_s reference must be the one ekodask's running assumes there."""
    want = _nf_at(t, th.alphas_scale)
    if ref[1] != want:
        near = [h for h in thresholds_mu(th) if math.isclose(h, th.alphas_scale, rel_tol=1e-12)]
        hint = " (on a threshold nf0 decides)" if near else ""
        raise rt.fail(
            "couplings.ref.1", ref[1], f"ekodask runs alpha_s with nf = {want} there{hint}"
        )


def translate_if_eko(theory: Any, operator: Any) -> tuple[Any, Any]:
    """(theory, operator) unchanged, or ekodask dicts when they are eko runcards.

    Sources as :func:`~ekodask.cards.load_cards` takes them (dicts, YAML paths or text, cards,
    None for the default);
    recognised by their keys (:func:`is_eko_theory`, :func:`is_eko_operator`; an NNPDF theory
    card with an eko operator card, as pineko holds them, is taken too). One eko card
    with one ekodask card is refused: nf0 and mu0 sit in different cards in the two forms.
    """
    from ..cards import _read

    def parsed(source: Any, name: str) -> Any:
        if source is None or isinstance(source, TheoryCard | OperatorCard):
            return None
        return _read(source, name)

    from .pineko import is_nnpdf_theory, nnpdf_theory_to_eko

    t, o = parsed(theory, "theory"), parsed(operator, "operator")
    if is_nnpdf_theory(t) and is_eko_operator(o):  # pineko's pair: NNPDF theory, eko opcard
        t = nnpdf_theory_to_eko(t)
    eko_t, eko_o = is_eko_theory(t), is_eko_operator(o)
    if not (eko_t or eko_o):
        return theory, operator
    if not (eko_t and eko_o):
        which, other = ("theory", "operator") if eko_t else ("operator", "theory")
        raise CardError(
            f"{which} card is an eko runcard but the {other} card is not: give both in eko's "
            "form or both in ekodask's"
        )

    def name(source: Any) -> str | None:
        return None if isinstance(source, Mapping) or "\n" in str(source) else str(source)

    return from_eko(t, o, (name(theory), name(operator)))
