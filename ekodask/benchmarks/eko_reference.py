"""Reference EKOs from the peer library eko, cached as .npz files per evolution point.

Our cards (dicts, YAML paths or card objects) are translated into eko 0.15 runcards, eko is run
once for the evolution points not yet cached, and each operator is saved as
``<cache>/<key>/mu2_<mu2>_nf<nf>.npz`` (``operator`` and ``error``, float64 [14, nx, 14, nx],
pids (22, -6, ..., 6)). ``key`` hashes the eko cards except the mugrid, so runs for different
scales of one setting share a folder; ``runs.jsonl`` there logs wall time and peak RSS per run.

eko is imported lazily, only inside :func:`run_eko`; reading the cache needs numpy alone.
Run as ``PYTHONPATH=. .venv-bench/bin/python -m ekodask.benchmarks.eko_reference THEORY OPERATOR``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..cards import OperatorCard, TheoryCard, compat_dict, load_cards
from ..errors import CardError
from ..hashing import canonical_hash
from ..pids import PIDS
from ..thresholds import nf_at, on_threshold, thresholds_mu2

__all__ = [
    "DEFAULT_CACHE",
    "block_differences",
    "cache_folder",
    "cached_points",
    "compare_operators",
    "eko_cards",
    "eko_runs",
    "evolution_points",
    "input_columns",
    "load_reference",
    "main",
    "point_path",
    "run_eko",
]

DEFAULT_CACHE = Path(__file__).resolve().parents[2] / "bench-results" / "eko"
"""Default cache: ``bench-results/eko/`` in the repository (git-ignored)."""

ALPHA_EM = 0.007496252
"""alpha_em handed to eko; unused in pure QCD evolution (order (n, 0))."""


def evolution_points(theory: TheoryCard, operator: OperatorCard) -> list[tuple[float, int]]:
    """The (mu2, nf) of each mu2grid entry; nf defaults to the upper patch on a threshold.

    As eko and ekodask.recipes (:func:`ekodask.thresholds.nf_at`).
    """
    points = []
    for mu2, nf in operator.mu2grid:
        if nf is None:
            if theory.scheme == "FFNS":
                nf = theory.nf_ffns
            else:
                nf = nf_at(mu2, _thr2(theory))
        points.append((float(mu2), int(nf)))
    return points


def _nf_at(theory: TheoryCard, mu: float) -> int:
    """Active flavours at the linear scale mu; nf0 decides where mu sits on a threshold."""
    if theory.scheme == "FFNS":
        return theory.nf_ffns
    if on_threshold(mu**2, _thr2(theory)):
        return theory.nf0
    return nf_at(mu**2, _thr2(theory))


def _thr2(theory: TheoryCard) -> tuple[float, ...]:
    return thresholds_mu2(theory.masses, theory.matching_ratios)


def _backward(theory: TheoryCard, operator: OperatorCard) -> bool:
    """Whether some evolution point lies below nf0 (a backward matching, VFNS)."""
    return theory.scheme == "VFNS" and any(
        nf < theory.nf0 for _, nf in evolution_points(theory, operator)
    )


def eko_cards(
    theory: Any, operator: Any, eko_iterations: int | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """eko 0.15 raw (theory, operator) runcards equivalent to our cards, as plain dicts.

    FFNS with nf flavours is expressed as eko's LHA benchmarks do: the matching ratios of the
    flavours below nf are 0 and those above are infinite, so no threshold is ever crossed.
    ``eko_iterations`` replaces ev_op_iterations for eko alone: eko's iterated solution converges
    as 1/steps^2 (10 steps: 5e-3 off at x = 1e-7, NLO FFNS), so a converged reference needs more.
    ekodask's ``iterate-magnus4`` goes to eko as ``iterate-exact`` (give eko_iterations).
    Raises CardError for settings without an eko equivalent (xir != 1, intrinsic flavours).
    ``polarized`` and ``time_like`` go into eko's operator ``configs``.
    """
    th, op = load_cards(theory, operator)
    if th.xir != 1.0:
        raise CardError("theory card: key 'xir': eko 0.15 has no mu_R variation (expected 1)")
    if th.intrinsic:
        raise CardError("theory card: key 'intrinsic': not mapped to eko (expected [])")
    if th.order >= 4 and th.n3lo_ad_vintage != "2024":
        raise CardError(
            "theory card: key 'n3lo_ad_vintage': eko 0.15.7 has the 2024 aN3LO files only "
            "(expected '2024')"
        )
    if th.scheme == "FFNS":
        ratios = [0.0 if 4 + i <= th.nf_ffns else math.inf for i in range(3)]
    else:
        ratios = list(th.matching_ratios)
    eko_theory = {
        "order": [th.order, 0],
        "couplings": {
            "alphas": th.alphas,
            "alphaem": ALPHA_EM,
            "ref": [th.alphas_scale, _nf_at(th, th.alphas_scale)],
            "em_running": False,
        },
        "heavy": {
            "masses": [[m, math.nan] for m in th.masses],
            "masses_scheme": "pole",
            "matching_ratios": ratios,
        },
        "xif": th.xif,
        "n3lo_ad_variation": list(th.n3lo_ad_variation),
        "use_fhmruvv": True,
        # the card's matching order (default order - 1, as in eko)
        "matching_order": [th.matching_order, 0],
    }
    eko_operator = {
        "init": [op.mu0, _nf_at(th, op.mu0)],
        "mugrid": [[math.sqrt(mu2), nf] for mu2, nf in evolution_points(th, op)],
        "xgrid": list(op.xgrid),
        "configs": {
            # ekodask's own iterate-magnus4 has no eko name: its reference is eko's iterated
            # solution, converged with many steps (eko_iterations)
            "evolution_method": "iterate-exact" if op.method == "iterate-magnus4" else op.method,
            "ev_op_max_order": [op.ev_op_max_order, 0],
            "ev_op_iterations": op.ev_op_iterations if eko_iterations is None else eko_iterations,
            "scvar_method": op.scvar_method,  # resolved by load_cards: None where xif = 1
            # only read for backward matching; None elsewhere keeps the cache keys of such runs
            "inversion_method": op.inversion_method if _backward(th, op) else None,
            "interpolation_polynomial_degree": op.interpolation_degree,
            "interpolation_is_log": True,
            "polarized": th.polarized,
            "time_like": th.time_like,
            "n_integration_cores": 1,
        },
        "debug": {"skip_singlet": False, "skip_non_singlet": False},
    }
    return eko_theory, eko_operator


def cache_folder(
    theory: Any, operator: Any, cache: Path | str = DEFAULT_CACHE, eko_iterations: int | None = None
) -> Path:
    """The cache folder of a setting: a hash of the eko cards without the mugrid.

    Hashing what eko is given (not our cards) keeps the cache valid when our cards gain keys
    that do not change the eko run.
    """
    eko_theory, eko_operator = eko_cards(theory, operator, eko_iterations)
    eko_operator = {k: v for k, v in eko_operator.items() if k != "mugrid"}
    # eko's cards hold NaN and inf (unused masses, FFNS ratios)
    return Path(cache) / canonical_hash([eko_theory, eko_operator], allow_nan=True)[:16]


def point_path(folder: Path, mu2: float, nf: int) -> Path:
    """File of one evolution point in a cache folder."""
    return folder / f"mu2_{mu2!r}_nf{nf}.npz"


def cached_points(
    theory: Any, operator: Any, cache: Path | str = DEFAULT_CACHE, eko_iterations: int | None = None
) -> list[tuple[float, int]]:
    """Evolution points of the operator card whose eko operator is already cached."""
    th, op = load_cards(theory, operator)
    folder = cache_folder(th, op, cache, eko_iterations)
    return [ep for ep in evolution_points(th, op) if point_path(folder, *ep).is_file()]


def load_reference(
    theory: Any, operator: Any, cache: Path | str = DEFAULT_CACHE, eko_iterations: int | None = None
) -> dict[tuple[float, int], tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """Cached eko (operator, error) per evolution point, [14, nx, 14, nx]; missing ones left out."""
    th, op = load_cards(theory, operator)
    folder = cache_folder(th, op, cache, eko_iterations)
    out = {}
    for ep in evolution_points(th, op):
        path = point_path(folder, *ep)
        if path.is_file():
            with np.load(path) as data:
                out[ep] = (data["operator"], data["error"])
    return out


def input_columns(theory: Any, operator: Any) -> NDArray[np.bool_]:
    """Which pid_in columns act on PDFs that may be non-zero at mu0, shape (14,).

    Heavy flavours not active at mu0 and not intrinsic are zero there, so their columns are a
    convention (eko keeps them as intrinsic, ekodask may not) and are left out of comparisons.
    """
    th, op = load_cards(theory, operator)
    nf = _nf_at(th, op.mu0)
    return np.array([abs(p) <= nf or p in (21, 22) or abs(p) in th.intrinsic for p in PIDS])


def compare_operators(
    ours: NDArray[np.float64],
    reference: NDArray[np.float64],
    threshold: float = 1e-6,
    columns: NDArray[np.bool_] | None = None,
    error: NDArray[np.float64] | None = None,
) -> tuple[float, tuple[int, ...]]:
    """Max |ours - ref| / max(|ours|, |ref|) over entries where either exceeds threshold * max|ref|.

    Symmetric, so an entry that one side has and the other lacks counts (as 1); for small
    differences it is the relative difference to the reference. ``columns`` (14 booleans over
    pid_in) restricts the comparison to those input flavours; with ``error`` (the reference's
    own error estimate, same shape) only the part of |ours - ref| beyond |error| counts.
    Returns the measure and its index.
    """
    rel = _relative(ours, reference, threshold, columns, error)
    index = np.unravel_index(int(np.argmax(rel)), rel.shape)
    return float(rel[index]), tuple(int(i) for i in index)


def block_differences(
    ours: NDArray[np.float64],
    reference: NDArray[np.float64],
    threshold: float = 1e-6,
    columns: NDArray[np.bool_] | None = None,
    error: NDArray[np.float64] | None = None,
) -> dict[tuple[int, int], float]:
    """:func:`compare_operators`'s measure per (pid_out, pid_in) block with compared entries."""
    rel = _relative(ours, reference, threshold, columns, error)
    worst = rel.max(axis=(1, 3))
    return {
        (PIDS[i], PIDS[j]): float(worst[i, j])
        for i in range(len(PIDS))
        for j in range(len(PIDS))
        if worst[i, j] >= 0.0
    }


def _relative(
    ours: NDArray[np.float64],
    reference: NDArray[np.float64],
    threshold: float,
    columns: NDArray[np.bool_] | None,
    error: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """Relative differences of the compared entries, -1 elsewhere."""
    ours = np.asarray(ours, dtype=float)
    reference = np.asarray(reference, dtype=float)
    if ours.shape != reference.shape:
        raise ValueError(f"operator shapes differ: {ours.shape} vs {reference.shape}")
    size = np.maximum(np.abs(reference), np.abs(ours))
    mask = size > threshold * np.abs(reference).max()
    if columns is not None:
        mask &= np.asarray(columns, dtype=bool)[None, None, :, None]
    diff = np.abs(ours - reference)
    if error is not None:
        diff = np.maximum(diff - np.abs(np.asarray(error, dtype=float)), 0.0)
    return np.where(mask, diff / np.where(mask, size, 1.0), -1.0)


def eko_runs(
    theory: Any, operator: Any, cache: Path | str = DEFAULT_CACHE, eko_iterations: int | None = None
) -> list[dict[str, Any]]:
    """The run records logged in the cache folder of a setting (oldest first)."""
    log = cache_folder(theory, operator, cache, eko_iterations) / "runs.jsonl"
    if not log.is_file():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def _numba_cache_files() -> int:
    """Number of numba cache index files beside eko's and ekore's sources (0 before a cold run)."""
    import eko
    import ekore

    roots = [Path(eko.__file__).parent, Path(ekore.__file__).parent]
    return sum(1 for root in roots for _ in root.rglob("*.nbi"))


def run_eko(
    theory: Any,
    operator: Any,
    cache: Path | str = DEFAULT_CACHE,
    force: bool = False,
    eko_iterations: int | None = None,
) -> dict[str, Any]:
    """Run eko for the evolution points not cached yet (all if ``force``); return the run record.

    The record (also appended to ``runs.jsonl``) holds the points, wall time in s, peak RSS of
    this process in bytes and whether numba had to compile (``cold``: no cache files before;
    more files after than before means that some kernels were compiled in this run).
    """
    import eko
    from eko.basis_rotation import flavor_basis_pids
    from eko.io.runcards import OperatorCard as EkoOperator
    from eko.io.runcards import TheoryCard as EkoTheory
    from eko.io.struct import EKO
    from eko.runner import solve

    th, op = load_cards(theory, operator)
    folder = cache_folder(th, op, cache, eko_iterations)
    folder.mkdir(parents=True, exist_ok=True)
    todo = [ep for ep in evolution_points(th, op) if force or not point_path(folder, *ep).is_file()]
    eko_theory, eko_operator = eko_cards(th, op, eko_iterations)
    (folder / "cards.json").write_text(
        json.dumps(
            {
                "ekodask": compat_dict(th, op),
                "eko_theory": eko_theory,
                "eko_operator": {k: v for k, v in eko_operator.items() if k != "mugrid"},
            },
            indent=1,
        )
    )
    record: dict[str, Any] = {"points": todo, "eko_version": eko.__version__}
    if not todo:
        record.update(wall_s=0.0, skipped=True)
        return record
    eko_operator["mugrid"] = [[math.sqrt(mu2), nf] for mu2, nf in todo]
    numba_before = _numba_cache_files()
    tmp = Path(tempfile.mkdtemp(prefix="ekodask-eko-"))
    try:
        start = time.perf_counter()
        solve(
            EkoTheory.from_dict(eko_theory),
            EkoOperator.from_dict(eko_operator),
            tmp / "eko.tar",
        )
        wall = time.perf_counter() - start
        if tuple(int(p) for p in flavor_basis_pids) != PIDS:
            raise RuntimeError(f"eko pids {flavor_basis_pids} differ from {PIDS}")
        with EKO.read(tmp / "eko.tar") as reference:
            for (mu2_eko, nf_eko), item in reference.items():
                matches = [ep for ep in todo if ep[1] == nf_eko and math.isclose(ep[0], mu2_eko)]
                if len(matches) != 1:
                    raise RuntimeError(f"eko point {(mu2_eko, nf_eko)} matches {matches}")
                mu2, nf = matches[0]
                error = np.zeros_like(item.operator) if item.error is None else item.error
                np.savez(
                    point_path(folder, mu2, nf),
                    operator=np.asarray(item.operator, dtype=np.float64),
                    error=np.asarray(error, dtype=np.float64),
                    xgrid=np.asarray(op.xgrid),
                    pids=np.asarray(PIDS),
                    mu2=mu2,
                    nf=nf,
                )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # ru_maxrss is in KiB on Linux
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    record.update(
        wall_s=wall,
        peak_rss_bytes=peak,
        cold=numba_before == 0,
        numba_cache_files_before=numba_before,
        numba_cache_files_after=_numba_cache_files(),
        nice=os.nice(0),
        started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - wall)),
    )
    with (folder / "runs.jsonl").open("a") as log:
        log.write(json.dumps(record) + "\n")
    return record


def main(argv: list[str] | None = None) -> int:
    """Command line: run eko for THEORY and OPERATOR (YAML paths) into the cache."""
    parser = argparse.ArgumentParser(prog="python -m ekodask.benchmarks.eko_reference")
    parser.add_argument("theory", help="theory card (YAML)")
    parser.add_argument("operator", help="operator card (YAML)")
    parser.add_argument("--cache", default=str(DEFAULT_CACHE), help="cache folder")
    parser.add_argument("--force", action="store_true", help="recompute cached points")
    parser.add_argument("--eko-iterations", type=int, help="ev_op_iterations for eko alone")
    parser.add_argument("--show", action="store_true", help="print the eko cards and exit")
    args = parser.parse_args(argv)
    if args.show:
        print(
            json.dumps(
                dict(
                    zip(
                        ("theory", "operator"),
                        eko_cards(args.theory, args.operator, args.eko_iterations),
                        strict=True,
                    )
                ),
                indent=1,
            )
        )
        return 0
    folder = cache_folder(args.theory, args.operator, args.cache, args.eko_iterations)
    print("cache folder:", folder, flush=True)
    record = run_eko(args.theory, args.operator, args.cache, args.force, args.eko_iterations)
    print(json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
