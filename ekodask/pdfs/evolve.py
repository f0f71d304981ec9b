"""Apply an EKO to every member of an LHAPDF 6 set and write the evolved set.

The new set lives on the EKO's x-grid (x = 1 included: LHAPDF's logcubic interpolation
accepts it, log 1 = 0) and its Q knots are the EKO's evolution points, one subgrid per nf; a
stored threshold operator (mu0 -> just after the matching at mu_h^2 into nf flavours) becomes
the lowest knot of the nf subgrid when that subgrid starts above mu_h, so that each subgrid
reaches down to its threshold (and one evolution point per nf is enough).
All members are evolved by one matrix product per operator.
"""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from ekodask.errors import CardError, StoreError
from ekodask.parallel import blas_limited
from ekodask.pdfs.lhapdf import (
    Member,
    PdfSet,
    Subgrid,
    member_path,
    open_set,
    pdfs_at,
    write_info,
    write_member,
)

__all__ = ["EkoLike", "apply_operator", "evolve_pdf", "initial_pdfs"]

MZ = 91.1876
"""Z mass in GeV (PDG) where the info file's AlphaS_MZ is given, unless the input set says."""

# SetIndex is the LHAPDF id of the input set, not of the new one; the Lambdas belong to
# analytic alpha_s running, not to the interpolated values written here
_DROPPED_KEYS = (
    "SetIndex",
    "AlphaS_Lambda3",
    "AlphaS_Lambda4",
    "AlphaS_Lambda5",
    "AlphaS_Lambda6",
)


class EkoLike(Protocol):
    """What evolve_pdf needs from an EKO (see CONTRACT.md)."""

    xgrid: Any
    pids: Any
    evolution_points: Any
    operator: Any
    theory: Any
    # optional: ``thresholds``, a mapping (mu2_h, nf) -> operator (used as lower knots)

    def items(self) -> Iterable[tuple[tuple[float, int], Any]]: ...


def initial_pdfs(
    pdfset: PdfSet, x: NDArray[np.float64], mu0: float, pids: Sequence[int], members: Sequence[int]
) -> NDArray[np.float64]:
    """f (not x f) of the chosen members at (x, mu0^2); shape (len(members), len(pids), len(x)).

    Raises StoreError naming the member file when its Q or x range does not cover mu0 or x.
    """
    return _read_initial(pdfset, x, mu0, pids, members)[0]


def _read_initial(
    pdfset: PdfSet, x: NDArray[np.float64], mu0: float, pids: Sequence[int], members: Sequence[int]
) -> tuple[NDArray[np.float64], list[dict]]:
    out = np.empty((len(members), len(pids), len(x)))
    headers = []
    for row, index in enumerate(members):
        member = pdfset.member(index)
        out[row] = pdfs_at(member, x, _q2_on_grid(member, mu0), pids)
        headers.append(member.header)
    return out, headers


def _q2_on_grid(member: Member, mu0: float) -> float:
    """mu0^2, snapped onto the set's lowest/highest Q knot when within rounding of it."""
    q2 = mu0**2
    low, high = member.subgrids[0].q2[0], member.subgrids[-1].q2[-1]
    if not low * (1 - 1e-12) <= q2 <= high * (1 + 1e-12):
        raise StoreError(
            f"LHAPDF set file {member.source}: its scales Q in "
            f"[{np.sqrt(low)!r}, {np.sqrt(high)!r}] GeV do not cover mu0 = {mu0!r} GeV"
        )
    return float(np.clip(q2, low, high))


def apply_operator(op: NDArray[np.float64], f0: NDArray[np.float64]) -> NDArray[np.float64]:
    """f_i(x_a) = sum_{j,b} op[i,a,j,b] f0_j(x_b) for a stack of PDFs f0 of shape (m, pid, x).

    One matrix product (m, pid x) @ (pid x, pid x)^T for all m members at once, over the
    range of input flavours j that are not zero in every member (a view of op, no copy:
    the flavours outside it contribute exact zeros).
    """
    op = np.asarray(op, dtype=float)
    f0 = np.asarray(f0, dtype=float)
    npid, nx = op.shape[:2]
    used = np.flatnonzero(np.any(f0 != 0.0, axis=(0, 2)))
    first, last = (int(used[0]), int(used[-1]) + 1) if used.size else (0, 1)
    flat = op[:, :, first:last, :].reshape(npid * nx, -1)
    rows = f0[:, first:last, :].reshape(f0.shape[0], -1)
    return (rows @ flat.T).reshape(f0.shape[0], npid, nx)


def _takes_nf(alphas: Callable[..., float]) -> bool:
    try:
        params = inspect.signature(alphas).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [
        p
        for p in params
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
    ]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in positional)


def _order(theory: Any) -> int:
    order = theory.get("order", 1) if hasattr(theory, "get") else 1
    if isinstance(order, Sequence) and not isinstance(order, str):
        order = order[0]
    return int(order)


def _segments(
    points: Sequence[tuple[float, int]],
) -> list[tuple[int, list[tuple[float, int]]]]:
    """Evolution points grouped by nf, each group sorted and free of repeats, groups by Q."""
    groups: dict[int, list[tuple[float, int]]] = {}
    for mu2, nf in points:
        groups.setdefault(int(nf), []).append((float(mu2), int(nf)))
    segments = []
    for nf in sorted(groups):
        unique = sorted(set(groups[nf]))
        if len(unique) < 2:
            raise CardError(
                f"operator card mu2grid: nf = {nf} has the single scale mu2 = {unique[0][0]!r}; "
                "an LHAPDF subgrid needs at least 2 Q knots, add a scale with that nf"
            )
        segments.append((nf, unique))
    for (nf_low, low), (nf_high, high) in pairwise(segments):
        if high[0][0] < low[-1][0]:
            raise CardError(
                f"operator card mu2grid: the nf = {nf_high} scales start below the end of the "
                f"nf = {nf_low} scales; LHAPDF subgrids must follow each other in Q"
            )
    return segments


def _threshold_knots(eko: EkoLike, points: Sequence[tuple[float, int]]) -> dict[tuple, Any]:
    """Stored thresholds that can be the lowest knot of their nf subgrid: (mu2_h, nf) -> key.

    Taken where the nf subgrid has points and starts above mu2_h, and every point with fewer
    flavours lies at or below mu2_h (the subgrids stay in order).
    """
    thresholds = getattr(eko, "thresholds", None)
    if thresholds is None:
        return {}
    lowest: dict[int, float] = {}
    for mu2, nf in points:
        lowest[nf] = min(lowest.get(nf, np.inf), mu2)
    knots = {}
    for key in thresholds:
        mu2_h, nf = float(key[0]), int(key[1])
        below = [mu2 for mu2, n in points if n < nf]
        if nf not in lowest or not mu2_h < lowest[nf] * (1.0 - 1e-9):
            continue
        if below and max(below) > mu2_h * (1.0 + 1e-9):
            continue
        knots[(mu2_h, nf)] = key
    return knots


def _operators(eko: EkoLike, knots: dict[tuple, Any]) -> Iterator[tuple[tuple[float, int], Any]]:
    """The final operators, then the threshold operators chosen as knots."""
    yield from eko.items()
    for point, key in knots.items():
        yield point, eko.thresholds[key]


def _evolve_all(
    eko: EkoLike, f0: NDArray[np.float64], x: NDArray[np.float64], knots: dict[tuple, Any]
) -> Iterator[tuple[tuple[float, int], NDArray[np.float64]]]:
    """x f of every member at every knot, one operator in memory at a time."""
    nx = x.size
    npid = f0.shape[1]
    for (mu2, nf), op in _operators(eko, knots):
        op = np.asarray(op, dtype=float)
        if op.shape != (npid, nx, npid, nx):
            raise StoreError(
                f"EKO operator at (mu2={mu2!r}, nf={nf}) has shape {op.shape}, "
                f"expected {(npid, nx, npid, nx)}"
            )
        yield (float(mu2), int(nf)), x * apply_operator(op, f0)


def _new_info(
    base: dict,
    eko: EkoLike,
    segments: list[tuple[int, list[tuple[float, int]]]],
    pids: Sequence[int],
    alpha_values: list[float],
    alpha_mz: float,
    n_members: int,
    set_desc: str,
) -> dict:
    theory = eko.theory if hasattr(eko.theory, "get") else {}
    x = np.asarray(eko.xgrid, dtype=float)
    qs = [float(np.sqrt(mu2)) for _, pts in segments for mu2, _ in pts]
    order_qcd = _order(theory) - 1  # LHAPDF counts 0 = LO, the cards 1 = LO
    info = {k: v for k, v in base.items() if k not in _DROPPED_KEYS}
    info.update(
        {
            "SetDesc": set_desc,
            "Format": "lhagrid1",
            "NumMembers": n_members,
            "Flavors": [int(p) for p in pids],
            "OrderQCD": order_qcd,
            "FlavorScheme": "fixed" if str(theory.get("scheme", "VFNS")) == "FFNS" else "variable",
            "NumFlavors": max(nf for nf, _ in segments),
            "XMin": float(x[0]),
            "XMax": float(x[-1]),
            "QMin": qs[0],
            "QMax": qs[-1],
            "MZ": float(base.get("MZ", MZ)),
            "AlphaS_MZ": alpha_mz,
            "AlphaS_OrderQCD": order_qcd,
            "AlphaS_Type": "ipol",
            "AlphaS_Qs": qs,
            "AlphaS_Vals": alpha_values,
        }
    )
    masses = theory.get("masses")
    if masses is not None:
        for key, mass in zip(("MCharm", "MBottom", "MTop"), masses, strict=False):
            info[key] = float(mass)
    info.setdefault("Interpolator", "logcubic")
    return info


def evolve_pdf(
    eko: EkoLike,
    pdfset: str | Path | PdfSet,
    out: str | Path,
    alphas: Callable[..., float],
    *,
    members: Sequence[int] | None = None,
    overwrite: bool = False,
    set_desc: str | None = None,
) -> Path:
    """Evolve every member of ``pdfset`` through every final operator of ``eko``; returns ``out``.

    ``out`` is the new set's directory, its name the set's name. The input set is interpolated
    at mu0 on the EKO's x-grid (LHAPDF logcubic, no extrapolation). ``alphas(mu2)`` (or
    ``alphas(mu2, nf)`` when it takes two arguments, for the two values on a threshold; nf is
    None for AlphaS_MZ) gives the info file's AlphaS_Vals. Flavours that vanish everywhere are
    left out of the new set.
    """
    pset = pdfset if isinstance(pdfset, PdfSet) else open_set(pdfset)
    out = Path(out)
    occupied = out.exists() and (not out.is_dir() or any(out.iterdir()))
    if occupied and not overwrite:
        raise StoreError(f"output set {out} exists and is not empty (pass overwrite)")
    if out.resolve() == pset.path.resolve():
        raise StoreError(f"output set {out} is the input set")
    chosen = list(range(pset.num_members)) if members is None else [int(m) for m in members]
    bad = [m for m in chosen if not 0 <= m < pset.num_members]
    if bad:
        raise StoreError(
            f"LHAPDF set {pset.path}: no member {bad[0]} (NumMembers = {pset.num_members})"
        )
    x = np.asarray(eko.xgrid, dtype=float)
    pids = tuple(int(p) for p in eko.pids)
    try:
        mu0 = float(eko.operator["mu0"])
    except (KeyError, TypeError, ValueError):
        raise StoreError("EKO has no starting scale: operator card key mu0 missing") from None
    points = [(float(m), int(n)) for m, n in eko.evolution_points]
    knots = _threshold_knots(eko, points)
    segments = _segments(points + list(knots))

    f0, headers = _read_initial(pset, x, mu0, pids, chosen)
    with blas_limited(1):  # one thread: the products are small, the machine may be shared
        evolved = dict(_evolve_all(eko, f0, x, knots))
    missing = [p for _, pts in segments for p in pts if p not in evolved]
    if missing:
        raise StoreError(f"EKO has no operator for evolution point {missing[0]}")

    nonzero = np.zeros(len(pids), dtype=bool)
    for xf in evolved.values():
        nonzero |= np.any(xf != 0.0, axis=(0, 2))
    if 21 in pids:
        nonzero[pids.index(21)] = True  # a set without a gluon would puzzle its readers
    keep = [i for i in range(len(pids)) if nonzero[i]]
    kept_pids = tuple(pids[i] for i in keep)

    if _takes_nf(alphas):
        alpha_values = [float(alphas(mu2, nf)) for _, pts in segments for mu2, nf in pts]
    else:
        alpha_values = [float(alphas(mu2)) for _, pts in segments for mu2, _ in pts]
    mz = float(pset.info.get("MZ", MZ))
    alpha_mz = float(alphas(mz**2, None) if _takes_nf(alphas) else alphas(mz**2))
    desc = set_desc or f"{pset.name} evolved by ekodask from mu0 = {mu0!r} GeV"
    info = _new_info(pset.info, eko, segments, kept_pids, alpha_values, alpha_mz, len(chosen), desc)

    if occupied:  # only now that everything was computed
        if out.is_dir():
            shutil.rmtree(out)
        else:
            out.unlink()
    out.mkdir(parents=True, exist_ok=True)
    name = out.name
    write_info(out / f"{name}.info", info)
    for row, header in enumerate(headers):
        subgrids = []
        for _, pts in segments:
            qs = np.sqrt([mu2 for mu2, _ in pts])
            values = np.stack([evolved[p][row][keep] for p in pts], axis=-1)  # (pid, x, Q)
            subgrids.append(Subgrid(x=x, q=qs, pids=kept_pids, xf=values))
        write_member(member_path(out, name, row), header, subgrids, style="fixed")
    return out
