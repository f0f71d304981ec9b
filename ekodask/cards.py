"""Theory and operator cards: YAML/dict in, validated frozen objects out, plain dicts back.

Every problem is reported once, here, as a :class:`~ekodask.errors.CardError` whose one-line
message names the card, the key (dotted for nested entries), the bad value and what was expected.
Nothing downstream re-checks. Defaults are the cards in ``conf/`` (LHA NNLO VFNS benchmark).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import CardError
from .hashing import canonical_hash
from .options import (
    COUPLING_MODES,
    INVERSION_METHODS,
    MAX_MATCHING_ORDER,
    MAX_ORDER,
    N3LO_AD_VINTAGES,
    N3LO_NF,
    SCVAR_METHODS,
)
from .options import EVOLUTION_METHODS as METHODS
from .thresholds import nf_at, nf_choices, thresholds_mu2

__all__ = [
    "METHODS",
    "OperatorCard",
    "TheoryCard",
    "compat_dict",
    "content_hash",
    "default_operator",
    "default_theory",
    "load_cards",
    "load_operator",
    "load_theory",
    "scvar_method",
    "thresholds_mu",
]

SCHEMES = ("VFNS", "FFNS")
_KIND_KEYS = ("polarized", "time_like")  # theory keys also accepted in the operator card
HEAVY = (4, 5, 6)


class _Loader(yaml.SafeLoader):
    """SafeLoader that also reads ``1e4`` as a float (YAML 1.2), as physicists write it."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+0123456789."),
)


def content_hash(data: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of a plain dict (sorted keys, no spaces)."""
    return canonical_hash(dict(data))


# ---------------------------------------------------------------------------------------------
# field parsers: each returns the clean value or raises CardError naming card.key


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers (so that messages say 5.0, not np.float64(5.0))."""
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    item = getattr(value, "item", None)
    return item() if callable(item) and getattr(value, "shape", None) == () else value


def _fail(card: str, key: str, value: Any, expected: str) -> CardError:
    return CardError(f"{card} card: key '{key}': got {_plain(value)!r}, expected {expected}")


def _float(card: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(card, key, value, "a number")
    value = float(value)
    if not math.isfinite(value):
        raise _fail(card, key, value, "a finite number")
    return value


def _positive(card: str, key: str, value: Any) -> float:
    value = _float(card, key, value)
    if value <= 0.0:
        raise _fail(card, key, value, "a positive number")
    return value


def _int(card: str, key: str, value: Any, lo: int, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(card, key, value, "an integer")
    if value < lo or (hi is not None and value > hi):
        rng = f"between {lo} and {hi}" if hi is not None else f">= {lo}"
        raise _fail(card, key, value, f"an integer {rng}")
    return value


def _list(card: str, key: str, value: Any) -> list:
    if not isinstance(value, list | tuple):
        raise _fail(card, key, value, "a list")
    return list(value)


def _choice(card: str, key: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise _fail(card, key, value, "one of " + ", ".join(choices))
    return value


def _bool(card: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(card, key, value, "true or false")
    return value


def _kind(c: str, order: int, polarized: bool, time_like: bool, intrinsic: list) -> None:
    """Refuse the (polarized, time_like) settings the physics of ekodask lacks."""
    if polarized and time_like:
        raise _fail(c, "time_like", True, "false with polarized: true (no polarised time-like)")
    if polarized and order >= 3:
        raise _fail(
            c,
            "polarized",
            True,
            f"false at order {order} (the polarised NNLO valence/sea non-singlet Delta "
            "P_ns^(2)-/v, arXiv:1506.04517, is not available: order 1 or 2 only)",
        )
    if time_like and order >= 4:
        raise _fail(c, "time_like", True, f"false at order {order} (time-like: up to NNLO)")
    if (polarized or time_like) and intrinsic:
        which = "polarized" if polarized else "time_like"
        raise _fail(c, "intrinsic", intrinsic, f"[] with {which}: true (no such matching)")


def _scvar(card: str, value: Any) -> str | None:
    if value is None:
        return None
    return _choice(card, "scvar_method", value, SCVAR_METHODS)


_OMES_MISSING = (
    "at most 2: the O(a_s^3) heavy-quark OMEs (Ablinger, Bluemlein et al. 1406.4654, "
    "2211.05462, 2311.00644, 2403.00513) are not implemented; use matching_order: 2 (NNLO "
    "matching) with order 4"
)


def _matching_order(card: str, value: Any, order: int) -> int:
    """The power of a_s in the matching: None gives eko's default order - 1; 0 .. min(order, 2)."""
    given = value
    if value is None:
        value = order - 1
    value = _int(card, "matching_order", value, 0)
    if value > order:
        raise _fail(card, "matching_order", value, f"at most the evolution order {order}")
    if value > MAX_MATCHING_ORDER:
        shown = f"{value} (the default order - 1)" if given is None else value
        raise CardError(f"{card} card: key 'matching_order': got {shown}, expected {_OMES_MISSING}")
    return value


def _n3lo_variation(card: str, value: Any) -> tuple[int, ...]:
    entries = _list(card, "n3lo_ad_variation", value)
    if len(entries) != 7:
        want = "7 integers for gg, gq, qg, qq, ns+, ns-, nsv"
        raise _fail(card, "n3lo_ad_variation", value, want)
    return tuple(_int(card, f"n3lo_ad_variation.{i}", v, 0, 2) for i, v in enumerate(entries))


def _n3lo_vintage(card: str, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # YAML reads an unquoted 2024 as a number
    return _choice(card, "n3lo_ad_vintage", value, N3LO_AD_VINTAGES)


def _read(source: Any, card: str) -> dict[str, Any]:
    """A dict from a mapping, a card object, a YAML file path or YAML text."""
    if isinstance(source, TheoryCard | OperatorCard):
        return source.to_dict()
    if isinstance(source, Mapping):
        return dict(source)
    if isinstance(source, Path) or (
        isinstance(source, str) and "\n" not in source and ":" not in source.split("/")[-1]
    ):
        path = Path(source)
        if not path.is_file():
            raise CardError(f"{card} card: file '{path}' not found")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CardError(f"{card} card: file '{path}' is not a UTF-8 text file") from None
        try:
            data = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError as err:
            where = getattr(err, "problem_mark", None)
            line = f" line {where.line + 1}" if where is not None else ""
            raise CardError(f"{card} card: file '{path}'{line}: not valid YAML") from None
        if not isinstance(data, dict):
            raise CardError(f"{card} card: file '{path}' does not hold a mapping of keys")
        return data
    if isinstance(source, str):
        try:
            data = yaml.load(source, Loader=_Loader)
        except yaml.YAMLError:
            raise CardError(f"{card} card: text is not valid YAML") from None
        if not isinstance(data, dict):
            raise CardError(f"{card} card: text does not hold a mapping of keys")
        return data
    raise CardError(f"{card} card: got a {type(source).__name__}, expected a dict or a YAML path")


def _defaults(name: str) -> dict[str, Any]:
    text = resources.files("ekodask").joinpath(f"conf/{name}.yaml").read_text()
    return yaml.load(text, Loader=_Loader)


def _complete(data: dict[str, Any], card: str, cls: type, defaults: bool) -> dict[str, Any]:
    known = [f.name for f in fields(cls)]
    for key in data:
        if key not in known:
            raise CardError(f"{card} card: unknown key '{key}' (known keys: {', '.join(known)})")
    if defaults:
        merged = _defaults(card)
        merged.update(data)
        data = merged
    for key in known:
        if key not in data:
            raise CardError(f"{card} card: required key '{key}' is missing")
    return data


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TheoryCard:
    """The physics of an EKO. Scales in GeV (linear); the keys are those of ``conf/theory.yaml``."""

    order: int
    alphas: float
    alphas_scale: float
    masses: tuple[float, float, float]
    matching_ratios: tuple[float, float, float]
    scheme: str
    nf_ffns: int
    nf0: int
    xir: float
    xif: float
    intrinsic: tuple[int, ...]
    matching_order: int
    n3lo_ad_variation: tuple[int, ...]
    n3lo_ad_vintage: str
    polarized: bool = False
    time_like: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], defaults: bool = True) -> TheoryCard:
        """Validate a dict; missing keys come from ``conf/theory.yaml`` if ``defaults``."""
        c = "theory"
        data = dict(data)
        if not defaults:  # cards stored before polarized/time_like existed were unpolarised
            data = {"polarized": False, "time_like": False, **data}
        d = _complete(data, c, cls, defaults)
        masses = _list(c, "masses", d["masses"])
        if len(masses) != 3:
            raise _fail(c, "masses", d["masses"], "three masses [m_c, m_b, m_t]")
        masses = tuple(_positive(c, f"masses.{i}", m) for i, m in enumerate(masses))
        if not masses[0] < masses[1] < masses[2]:
            raise _fail(c, "masses", d["masses"], "increasing masses m_c < m_b < m_t")
        ratios = _list(c, "matching_ratios", d["matching_ratios"])
        if len(ratios) != 3:
            raise _fail(c, "matching_ratios", d["matching_ratios"], "three ratios")
        ratios = tuple(_positive(c, f"matching_ratios.{i}", r) for i, r in enumerate(ratios))
        thresholds = [r * m for r, m in zip(ratios, masses, strict=True)]
        if not thresholds[0] < thresholds[1] < thresholds[2]:
            raise _fail(c, "matching_ratios", d["matching_ratios"], "increasing thresholds")
        alphas = _float(c, "alphas", d["alphas"])
        if not 0.0 < alphas < 1.0:
            raise _fail(c, "alphas", alphas, "0 < alphas < 1")
        intrinsic = _list(c, "intrinsic", d["intrinsic"])
        for i, h in enumerate(intrinsic):
            if isinstance(h, bool) or h not in HEAVY:
                raise _fail(c, f"intrinsic.{i}", h, "a heavy flavour 4, 5 or 6")
        if len(set(intrinsic)) != len(intrinsic):
            raise _fail(c, "intrinsic", d["intrinsic"], "no repeated flavour")
        order = _int(c, "order", d["order"], 1, MAX_ORDER)
        if order >= 4:
            nf_key = "nf_ffns" if d["scheme"] == "FFNS" else "nf0"
            if d[nf_key] not in N3LO_NF:
                want = "3, 4 or 5 at order 4 (the aN3LO parametrisations)"
                raise _fail(c, nf_key, d[nf_key], want)
        xir, xif = _positive(c, "xir", d["xir"]), _positive(c, "xif", d["xif"])
        if xif != 1.0 and xir != 1.0:
            raise _fail(c, "xif", xif, f"1 when xir = {xir} (xir and xif together: not defined)")
        polarized = _bool(c, "polarized", d["polarized"])
        time_like = _bool(c, "time_like", d["time_like"])
        _kind(c, order, polarized, time_like, intrinsic)
        matching_order = _matching_order(c, d["matching_order"], order)
        if polarized and matching_order >= 2:
            want = "at most 1 with polarized: true (polarised O(a_s^2) OMEs, 2211.15337: missing)"
            raise _fail(c, "matching_order", matching_order, want)
        return cls(
            order=order,
            alphas=alphas,
            alphas_scale=_positive(c, "alphas_scale", d["alphas_scale"]),
            masses=masses,
            matching_ratios=ratios,
            scheme=_choice(c, "scheme", d["scheme"], SCHEMES),
            nf_ffns=_int(c, "nf_ffns", d["nf_ffns"], 3, 6),
            nf0=_int(c, "nf0", d["nf0"], 3, 6),
            xir=xir,
            xif=xif,
            intrinsic=tuple(sorted(intrinsic)),
            matching_order=matching_order,
            n3lo_ad_variation=_n3lo_variation(c, d["n3lo_ad_variation"]),
            n3lo_ad_vintage=_n3lo_vintage(c, d["n3lo_ad_vintage"]),
            polarized=polarized,
            time_like=time_like,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON/YAML-able dict that :meth:`from_dict` turns back into an equal card."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        for key in ("masses", "matching_ratios", "intrinsic", "n3lo_ad_variation"):
            d[key] = list(d[key])
        return d

    @property
    def hash(self) -> str:
        """Stable content hash (sha256 of canonical JSON)."""
        return content_hash(self.to_dict())


@dataclass(frozen=True)
class OperatorCard:
    """The numerics and requested output of an EKO; mu0 in GeV, mu2 in GeV^2."""

    mu0: float
    mu2grid: tuple[tuple[float, int | None], ...]
    xgrid: tuple[float, ...]
    interpolation_degree: int
    method: str
    ev_op_iterations: int
    ev_op_max_order: int
    inversion_method: str
    scvar_method: str | None = None
    error_bounds: bool = True
    polarized: bool | None = None
    time_like: bool | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], defaults: bool = True) -> OperatorCard:
        """Validate a dict; missing keys come from ``conf/operator.yaml`` if ``defaults``.

        ``error_bounds`` (ekodask's key, eko has none): whether every stored operator carries
        its error bound; absent (a card stored before the key): true.

        ``polarized`` and ``time_like`` may be given here, where eko (``configs``) and the
        public contract have them; null (absent): the theory card's. :func:`load_cards` moves
        them into the theory card, their one home in ekodask.
        """
        c = "operator"
        d = _complete(
            {**dict.fromkeys(_KIND_KEYS), "error_bounds": True, **dict(data)}, c, cls, defaults
        )
        raw = _list(c, "xgrid", d["xgrid"])
        xgrid = tuple(_float(c, f"xgrid.{i}", x) for i, x in enumerate(raw))
        if len(xgrid) < 2:
            raise _fail(c, "xgrid", d["xgrid"], "at least two points")
        for i, x in enumerate(xgrid):
            if not 0.0 < x <= 1.0:
                raise _fail(c, f"xgrid.{i}", x, "0 < x <= 1")
        for i in range(1, len(xgrid)):
            if xgrid[i] == xgrid[i - 1]:
                raise _fail(c, f"xgrid.{i}", xgrid[i], "no duplicate points")
            if xgrid[i] < xgrid[i - 1]:
                raise _fail(c, f"xgrid.{i}", xgrid[i], f"a sorted grid (after {xgrid[i - 1]})")
        if xgrid[-1] != 1.0:
            raise _fail(c, "xgrid", xgrid[-1], "a grid whose last point is 1")
        degree = _int(c, "interpolation_degree", d["interpolation_degree"], 1)
        if degree >= len(xgrid):
            raise _fail(
                c, "interpolation_degree", degree, f"a degree below the {len(xgrid)} grid points"
            )
        grid = _list(c, "mu2grid", d["mu2grid"])
        if not grid:
            raise _fail(c, "mu2grid", d["mu2grid"], "at least one scale")
        points: list[tuple[float, int | None]] = []
        for i, entry in enumerate(grid):
            key = f"mu2grid.{i}"
            if isinstance(entry, list | tuple):
                if len(entry) != 2:
                    raise _fail(c, key, entry, "mu2 or [mu2, nf]")
                point = (_positive(c, key + ".0", entry[0]), _int(c, key + ".1", entry[1], 3, 6))
            else:
                point = (_positive(c, key, entry), None)
            if point in points:
                raise _fail(c, key, entry, "no repeated evolution point")
            points.append(point)
        return cls(
            mu0=_positive(c, "mu0", d["mu0"]),
            mu2grid=tuple(points),
            xgrid=xgrid,
            interpolation_degree=degree,
            method=_choice(c, "method", d["method"], METHODS),
            ev_op_iterations=_int(c, "ev_op_iterations", d["ev_op_iterations"], 1),
            ev_op_max_order=_int(c, "ev_op_max_order", d["ev_op_max_order"], 1),
            inversion_method=_choice(
                c, "inversion_method", d["inversion_method"], INVERSION_METHODS
            ),
            scvar_method=_scvar(c, d["scvar_method"]),
            error_bounds=_bool(c, "error_bounds", d["error_bounds"]),
            **{k: None if d[k] is None else _bool(c, k, d[k]) for k in _KIND_KEYS},
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON/YAML-able dict that :meth:`from_dict` turns back into an equal card."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        for key in _KIND_KEYS:  # null: the theory card's (stored cards never hold them here)
            if d[key] is None:
                del d[key]
        d["mu2grid"] = [mu2 if nf is None else [mu2, nf] for mu2, nf in self.mu2grid]
        d["xgrid"] = list(self.xgrid)
        return d

    @property
    def hash(self) -> str:
        """Stable content hash (sha256 of canonical JSON)."""
        return content_hash(self.to_dict())


def thresholds_mu(theory: TheoryCard) -> tuple[float, float, float]:
    """Heavy-quark thresholds ratio * mass in GeV (charm, bottom, top)."""
    return tuple(r * m for r, m in zip(theory.matching_ratios, theory.masses, strict=True))


def _check_methods(theory: TheoryCard, operator: OperatorCard) -> None:
    """Cross-card rules of the solution and inversion methods.

    The expanded a_s running of the expanded and truncated methods (options.COUPLING_MODES)
    exists up to NNLO; the exact inverse of a matching whose heavy quark is intrinsic has a pole
    right of the Mellin contour (:func:`ekodask.matching.matching_operator`), so backward
    matching of an intrinsic flavour needs ``inversion_method: expanded``.
    """
    if theory.order > 3 and COUPLING_MODES[operator.method] == "expanded":
        raise CardError(
            f"operator card: key 'method': got {operator.method!r}, expected a method with exact "
            f"a_s running at order {theory.order} (expanded running exists up to NNLO)"
        )
    if theory.scheme != "VFNS" or operator.inversion_method != "exact" or not theory.intrinsic:
        return
    thr = thresholds_mu2(theory.masses, theory.matching_ratios)
    for i, (mu2, nf) in enumerate(operator.mu2grid):
        target = nf_at(mu2, thr) if nf is None else nf
        crossed = [h for h in range(target + 1, theory.nf0 + 1) if h in theory.intrinsic]
        if crossed:
            raise CardError(
                f"operator card: key 'inversion_method': got 'exact', expected 'expanded' for "
                f"mu2grid.{i} (backward matching of the intrinsic flavour {crossed[0]})"
            )


def _check_pair(theory: TheoryCard, operator: OperatorCard) -> None:
    """Cross-card rules: nf0 must be the flavour number at mu0 (VFNS); FFNS points use nf_ffns."""
    _check_methods(theory, operator)
    if theory.scheme == "VFNS":
        allowed = nf_choices(operator.mu0**2, thresholds_mu2(theory.masses, theory.matching_ratios))
        if theory.nf0 not in allowed:
            want = " or ".join(str(n) for n in allowed)
            raise CardError(
                f"theory card: key 'nf0': got {theory.nf0}, expected {want} for mu0 = "
                f"{operator.mu0} GeV and thresholds {list(thresholds_mu(theory))} GeV"
            )
        if theory.order >= 4:
            thr = thresholds_mu2(theory.masses, theory.matching_ratios)
            for i, (mu2, nf) in enumerate(operator.mu2grid):
                nf_point = nf_at(mu2, thr) if nf is None else nf
                if nf_point not in N3LO_NF:
                    raise CardError(
                        f"operator card: key 'mu2grid.{i}': got mu2 = {mu2} with nf = {nf_point}, "
                        "expected nf 3..5 at order 4 (the aN3LO parametrisations)"
                    )
        if theory.time_like and theory.matching_order >= 2:
            thr = thresholds_mu2(theory.masses, theory.matching_ratios)
            for i, (mu2, nf) in enumerate(operator.mu2grid):
                nf = nf_at(mu2, thr) if nf is None else nf
                if nf != theory.nf0:
                    raise _fail(
                        "theory",
                        "time_like",
                        True,
                        f"false with matching_order 2 across a threshold (mu2grid.{i} = {mu2} has "
                        f"nf = {nf}, nf0 = {theory.nf0}): the O(a_s^2) time-like matching is not "
                        "available (matching_order: 1 is eko's choice there)",
                    )
    else:
        for i, (_, nf) in enumerate(operator.mu2grid):
            if nf is not None and nf != theory.nf_ffns:
                raise CardError(
                    f"operator card: key 'mu2grid.{i}.1': got nf = {nf}, expected the FFNS "
                    f"nf_ffns = {theory.nf_ffns}"
                )


def _with_file(err: CardError, name: str, source: Any) -> CardError:
    """The same error, naming the card's file when it came from one."""
    if isinstance(source, str | Path) and "\n" not in str(source) and Path(source).is_file():
        return CardError(str(err).replace(f"{name} card:", f"{name} card '{source}':", 1))
    return err


def _load(cls: type, name: str, source: Any, defaults: bool) -> Any:
    if isinstance(source, cls):
        return source  # validated when it was made: frozen, nothing to re-check
    data = _read({} if source is None else source, name)
    try:
        return cls.from_dict(data, defaults)
    except CardError as err:
        raise _with_file(err, name, source) from None


def load_theory(source: Any = None, defaults: bool = True) -> TheoryCard:
    """A validated theory card from a dict, a YAML path or text (None: the default card)."""
    return _load(TheoryCard, "theory", source, defaults)


def load_operator(source: Any = None, defaults: bool = True) -> OperatorCard:
    """A validated operator card from a dict, a YAML path or text (None: the default card)."""
    return _load(OperatorCard, "operator", source, defaults)


def scvar_method(theory: TheoryCard, operator: OperatorCard) -> str | None:
    """The factorisation-scale variation scheme a pair of cards computes (options.SCVAR_METHODS).

    None where xif = 1 (nothing varied, whatever the operator card says, as eko's null);
    with xif != 1 the operator card's ``scvar_method``, "exponentiated" where it is null.
    """
    if theory.xif == 1.0:
        return None
    return operator.scvar_method or "exponentiated"


def load_cards(theory: Any = None, operator: Any = None) -> tuple[TheoryCard, OperatorCard]:
    """Both cards, validated separately and against each other.

    The operator card's ``scvar_method`` comes back resolved (:func:`scvar_method`): null
    where xif = 1, the scheme used where xif != 1, so that stored cards say which it was.
    """
    t, o = load_theory(theory), load_operator(operator)
    try:
        t, o = _kind_into_theory(t, o)
        _check_pair(t, o)
    except CardError as err:
        raise _with_file(_with_file(err, "theory", theory), "operator", operator) from None
    resolved = scvar_method(t, o)
    if resolved != o.scvar_method:
        o = replace(o, scvar_method=resolved)
    return t, o


def _kind_into_theory(t: TheoryCard, o: OperatorCard) -> tuple[TheoryCard, OperatorCard]:
    """``polarized``/``time_like`` given in the operator card, moved into the theory card."""
    given = {k: getattr(o, k) for k in _KIND_KEYS if getattr(o, k) is not None}
    if not given:
        return t, o
    for key, value in given.items():
        if getattr(t, key) and not value:
            raise _fail("operator", key, value, f"true or null: the theory card has {key}: true")
    try:
        t = TheoryCard.from_dict({**t.to_dict(), **given}, defaults=False)
    except CardError as err:
        raise CardError(f"{err} (set through the operator card)") from None
    return t, replace(o, **dict.fromkeys(_KIND_KEYS))


def default_theory() -> TheoryCard:
    """The default theory card of ``conf/theory.yaml``."""
    return load_theory()


def default_operator() -> OperatorCard:
    """The default operator card of ``conf/operator.yaml``."""
    return load_operator()


def compat_dict(theory: TheoryCard, operator: OperatorCard) -> dict[str, Any]:
    """What must be equal for two stores to be merged: everything except the mu2grid.

    ``scvar_method`` appears only where something is varied (xif != 1, :func:`scvar_method`),
    so that stores without scale variation keep the compat of stores written before the key;
    ``error_bounds`` only where false, for the same reason.
    """
    op = operator.to_dict()
    del op["mu2grid"], op["scvar_method"]
    if op["error_bounds"]:
        del op["error_bounds"]
    method = scvar_method(theory, operator)
    if method is not None:
        op["scvar_method"] = method
    return {"theory": theory.to_dict(), "operator": op}
