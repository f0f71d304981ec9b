"""Les Houches benchmark: ekodask EKOs applied to the toy PDFs against the LHA tables.

References: Giele et al., hep-ph/0204316, Sec. 4 and Tables 2-4 (LO, NLO); Dittmar et al.,
hep-ph/0511119, Sec. 4 and Tables 14-15 (NNLO). The tables are ``ekodask.pdfs.toy.lha_tables()``.
A table passes when every entry is within ``rtol`` (relative) where the reference exceeds
``floor`` in size and within ``atol`` (absolute) elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..pdfs.toy import lha_combinations, lha_tables, toy_pdfs

__all__ = [
    "ATOL",
    "FLOOR",
    "ORDERS",
    "RTOL",
    "TableResult",
    "apply_operator",
    "compare_table",
    "format_table",
    "run_lha",
    "table_cards",
]

RTOL = 1e-3
"""Relative tolerance where |reference| > FLOOR."""
FLOOR = 1e-5
"""Below this size a reference entry is checked with ATOL instead."""
ATOL = 1e-8
"""Absolute tolerance for reference entries not above FLOOR."""
ORDERS = {"LO": 1, "NLO": 2, "NNLO": 3}
"""Theory-card order of each table-name prefix."""

Operator = NDArray[np.float64]
FinalOperator = Callable[[Any, Any, float, int], Operator]


@dataclass(frozen=True)
class TableResult:
    """Comparison of one LHA table: per combination, computed values and their deviation.

    ``deviation`` is |computed - ref| / |ref| where |ref| > floor, else |computed - ref|;
    ``relative`` tells which of the two each entry is; ``ok`` holds the tolerance verdict.
    """

    name: str
    x: NDArray[np.float64]
    reference: dict[str, NDArray[np.float64]]
    computed: dict[str, NDArray[np.float64]]
    deviation: dict[str, NDArray[np.float64]]
    relative: dict[str, NDArray[np.bool_]]
    ok: dict[str, NDArray[np.bool_]]

    @property
    def passed(self) -> bool:
        """True when every entry is within tolerance."""
        return all(bool(v.all()) for v in self.ok.values())

    @property
    def worst_relative(self) -> tuple[float, str, float]:
        """(largest relative deviation, its combination, its x); NaN, '' when none is relative."""
        best = (float("nan"), "", float("nan"))
        for key, dev in self.deviation.items():
            rel = np.where(self.relative[key], dev, -np.inf)
            i = int(np.argmax(rel))
            if np.isfinite(rel[i]) and not rel[i] <= best[0]:
                best = (float(rel[i]), key, float(self.x[i]))
        return best

    @property
    def worst_absolute(self) -> float:
        """Largest absolute deviation among the entries checked absolutely (0 if none)."""
        values = [
            d[~r] for d, r in zip(self.deviation.values(), self.relative.values(), strict=True)
        ]
        flat = np.concatenate(values) if values else np.zeros(0)
        return float(flat.max()) if flat.size else 0.0


def table_cards(name: str, table: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Theory and operator card overrides (dicts) for one LHA table, e.g. ``NNLO_FFNS``.

    FFNS tables (``scheme`` 4) use nf_ffns = 4; the initial-scale table asks for mu2 = mu0^2
    with nf = 3 (no evolution, no matching).
    """
    order = ORDERS[name.split("_", 1)[0]]
    theory: dict[str, Any] = {"order": order}
    scheme = table["scheme"]
    if scheme is None:
        theory["scheme"] = "VFNS"
        point: Any = [float(table["mu2"]), 3]
    elif scheme == "VFNS":
        theory["scheme"] = "VFNS"
        point = float(table["mu2"])
    else:
        theory.update(scheme="FFNS", nf_ffns=int(scheme))
        point = float(table["mu2"])
    return theory, {"mu2grid": [point]}


def apply_operator(
    operator: Operator, xgrid: NDArray[np.float64], x: Iterable[float]
) -> dict[str, NDArray[np.float64]]:
    """The LHA combinations (x f) at the points x after applying an EKO to the toy PDFs.

    operator: [14, nx, 14, nx] on ``xgrid`` in the contract's convention (PDF values, not x f);
    every x must be a grid point (the LHA benchmark reads the tables off the grid).
    """
    xgrid = np.asarray(xgrid, dtype=float)
    x = np.asarray(list(x), dtype=float)
    idx = []
    for xi in x:
        hits = np.flatnonzero(np.isclose(xgrid, xi, rtol=1e-9, atol=0.0))
        if hits.size != 1:
            raise ValueError(f"table point x = {xi} is not on the x-grid")
        idx.append(int(hits[0]))
    pdf = np.einsum("iajb,jb->ia", operator, toy_pdfs(xgrid))
    return lha_combinations(pdf[:, idx] * x)


def compare_table(
    name: str,
    x: Iterable[float],
    computed: Mapping[str, NDArray[np.float64]],
    reference: Mapping[str, Iterable[float]],
    rtol: float = RTOL,
    atol: float = ATOL,
    floor: float = FLOOR,
) -> TableResult:
    """Compare the combinations present in the reference table with the computed ones."""
    x = np.asarray(list(x), dtype=float)
    ref, comp, dev, rel, ok = {}, {}, {}, {}, {}
    for key, values in reference.items():
        r = np.asarray(list(values), dtype=float)
        c = np.asarray(computed[key], dtype=float)
        if r.shape != c.shape or r.shape != x.shape:
            raise ValueError(f"{name}: '{key}' has shape {c.shape}, reference {r.shape}")
        big = np.abs(r) > floor
        diff = np.abs(c - r)
        scale = np.where(big, np.abs(r), 1.0)
        ref[key], comp[key], rel[key] = r, c, big
        dev[key] = diff / scale
        ok[key] = np.where(big, dev[key] <= rtol, diff <= atol)
    return TableResult(name, x, ref, comp, dev, rel, ok)


def format_table(result: TableResult) -> str:
    """Text table: per combination, the deviation at each x (relative, or 'a' for absolute)."""
    head = f"{'':>5} " + " ".join(f"{xi:>9.1e}" for xi in result.x)
    lines = [f"== {result.name}: {'PASS' if result.passed else 'FAIL'}", head]
    for key, dev in result.deviation.items():
        cells = []
        for d, rel, good in zip(dev, result.relative[key], result.ok[key], strict=True):
            mark = "" if good else "!"
            cells.append(f"{d:.1e}{'' if rel else 'a'}{mark}".rjust(9))
        lines.append(f"{key:>5} " + " ".join(cells))
    worst, key, xw = result.worst_relative
    lines.append(
        f"worst relative {worst:.2e} ({key} at x = {xw:g}); "
        f"worst absolute (|ref| <= floor) {result.worst_absolute:.2e}"
    )
    return "\n".join(lines)


def _default_final_operator(theory: Any, operator: Any, mu2: float, nf: int) -> Operator:
    from ..cards import load_cards
    from ..compute import operator_at

    return operator_at(*load_cards(theory, operator), mu2, nf)


def run_lha(
    names: Iterable[str] | None = None,
    operator_overrides: Mapping[str, Any] | None = None,
    final_operator: FinalOperator | None = None,
    rtol: float = RTOL,
    atol: float = ATOL,
    floor: float = FLOOR,
) -> list[TableResult]:
    """Evaluate the LHA tables (all, or ``names``) with ekodask and compare them.

    ``operator_overrides``: operator-card keys applied to every table (e.g. another xgrid);
    ``final_operator(theory, operator, mu2, nf)`` defaults to :func:`ekodask.compute.operator_at`.
    """
    from ..cards import load_cards
    from .eko_reference import evolution_points

    data = lha_tables()
    tables = data["tables"]
    names = list(tables) if names is None else list(names)
    unknown = [n for n in names if n not in tables]
    if unknown:
        raise KeyError(f"unknown LHA tables {unknown}; known: {list(tables)}")
    compute = _default_final_operator if final_operator is None else final_operator
    results = []
    for name in names:
        table = tables[name]
        theory_d, operator_d = table_cards(name, table)
        operator_d = {**(operator_overrides or {}), **operator_d}
        theory, operator = load_cards(theory_d, operator_d)
        ((mu2, nf),) = evolution_points(theory, operator)
        op = compute(theory, operator, mu2, nf)
        computed = apply_operator(op, np.asarray(operator.xgrid), data["x"])
        results.append(compare_table(name, data["x"], computed, table["xf"], rtol, atol, floor))
    return results
