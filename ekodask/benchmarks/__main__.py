"""Benchmark commands: ``python -m ekodask.benchmarks lha|eko|cache|scaling|export|n3lo``.

``lha`` evaluates the LHA tables with ekodask and exits 1 when a table is out of tolerance;
``eko`` compares ekodask with the cached eko operators (see :mod:`.eko_reference`) and prints the
largest relative difference and the time and memory ratios; ``cache`` lists the cached eko
operators with the wall time and peak RSS of their runs; ``scaling`` measures wall time and peak
memory against nx, the number of mu2 and of workers (:mod:`.scaling`); ``export`` the peak
memory of an eko-tar export of a 200-point store against a 2-point one (:mod:`.eko_export`,
exit 1 above 1.5x); ``n3lo`` the aN3LO benchmark (:mod:`.n3lo`). Exit 2 on bad
input.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from typing import Any

from ..errors import EkodaskError
from . import eko_export, lha
from . import eko_reference as ref

__all__ = ["main"]


def _peak_rss() -> int:
    """Peak resident memory of this process in bytes (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _lha(args: argparse.Namespace) -> int:
    overrides: dict[str, Any] = {}
    if args.operator:
        from ..cards import load_operator

        overrides = load_operator(args.operator).to_dict()
        overrides.pop("mu2grid", None)
    final_operator = None
    if args.eko:

        def final_operator(theory: Any, operator: Any, mu2: float, nf: int) -> Any:
            point = {**operator.to_dict(), "mu2grid": [[mu2, nf]]}
            cached = ref.load_reference(theory, point, args.cache, args.eko_iterations)
            if not cached:
                raise ValueError(f"no cached eko operator for ({mu2}, {nf}) in {args.cache}")
            return cached[(mu2, nf)][0]

    start = time.perf_counter()
    results = lha.run_lha(
        args.tables or None, overrides, final_operator, rtol=args.rtol, atol=args.atol
    )
    wall = time.perf_counter() - start
    for result in results:
        print(lha.format_table(result))
        print()
    print("summary (worst relative deviation per table):")
    for result in results:
        worst, key, x = result.worst_relative
        verdict = "PASS" if result.passed else "FAIL"
        print(f"  {result.name:<11} {verdict}  {worst:.2e} ({key}, x = {x:g})")
    print(f"wall {wall:.1f} s, peak RSS {_peak_rss() / 2**30:.2f} GiB")
    return 0 if all(r.passed for r in results) else 1


def _eko(args: argparse.Namespace) -> int:
    from ..cards import load_cards
    from ..compute import operator_at as final_operator

    theory, operator = load_cards(args.theory, args.operator)
    cached = ref.load_reference(theory, operator, args.cache, args.eko_iterations)
    wanted = ref.evolution_points(theory, operator)
    missing = [ep for ep in wanted if ep not in cached]
    if missing:
        print(f"no cached eko operator for {missing} (run ekodask.benchmarks.eko_reference)")
    if not cached:
        return 2
    runs = ref.eko_runs(theory, operator, args.cache, args.eko_iterations)
    columns = ref.input_columns(theory, operator)
    left_out = [p for p, keep in zip(ref.PIDS, columns, strict=True) if not keep]
    print(f"pid_in columns left out (zero at mu0, not intrinsic): {left_out}")
    worst_all, ours_wall, eko_wall, eko_rss = 0.0, 0.0, 0.0, 0
    print(f"{'mu2':>12} {'nf':>2} {'max rel diff':>12}  where (pid_out, x_out, pid_in, x_in)")
    for (mu2, nf), (eko_op, eko_err) in cached.items():
        start = time.perf_counter()
        ours = final_operator(theory, operator, mu2, nf)
        ours_wall += time.perf_counter() - start
        if args.no_endpoint:
            # the x_in = 1 column multiplies f(1), zero for any physical PDF
            ours, eko_op, eko_err = ours[..., :-1], eko_op[..., :-1], eko_err[..., :-1]
        error = eko_err if args.beyond_error else None
        worst, (i, a, j, b) = ref.compare_operators(ours, eko_op, args.threshold, columns, error)
        worst_all = max(worst_all, worst)
        where = f"({ref.PIDS[i]}, {operator.xgrid[a]:.3g}, {ref.PIDS[j]}, {operator.xgrid[b]:.3g})"
        print(f"{mu2:>12g} {nf:>2} {worst:>12.2e}  {where}")
        if args.blocks:
            blocks = ref.block_differences(ours, eko_op, args.threshold, columns, error)
            ranked = sorted(blocks.items(), key=lambda item: -item[1])[: args.blocks]
            print(
                "    worst blocks (pid_out, pid_in): "
                + ", ".join(f"{k}: {v:.1e}" for k, v in ranked)
            )
        # eko time per point: the latest warm run holding it (a cold one if none), per point
        holding = [r for r in runs if [mu2, nf] in r["points"] or (mu2, nf) in r["points"]]
        warm = [r for r in holding if not r.get("cold")]
        if holding:
            record = (warm or holding)[-1]
            eko_wall += record["wall_s"] / len(record["points"])
            eko_rss = max(eko_rss, record["peak_rss_bytes"])
    ours_rss = _peak_rss()
    print(f"worst relative difference {worst_all:.2e} (entries > {args.threshold:g} x max)")
    print(f"ekodask: {ours_wall:.1f} s, peak RSS {ours_rss / 2**30:.2f} GiB (this process)")
    if eko_wall:
        print(f"eko:     {eko_wall:.1f} s, peak RSS {eko_rss / 2**30:.2f} GiB (from runs.jsonl)")
        print(
            f"ratios ekodask/eko: time {ours_wall / eko_wall:.3f}, memory {ours_rss / eko_rss:.3f}"
        )
    return 0 if worst_all <= args.rtol else 1


def _cache(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    folders = sorted(p for p in Path(args.cache).glob("*") if (p / "cards.json").is_file())
    for folder in folders:
        cards = json.loads((folder / "cards.json").read_text())
        th, op = cards["ekodask"]["theory"], cards["ekodask"]["operator"]
        scheme = th["scheme"] + (f" nf={th['nf_ffns']}" if th["scheme"] == "FFNS" else "")
        steps = cards.get("eko_operator", {}).get("configs", {}).get("ev_op_iterations", "?")
        print(
            f"{folder}: order {th['order']}, {scheme}, nx = {len(op['xgrid'])}, eko steps {steps}"
        )
        points = sorted(p.name for p in folder.glob("mu2_*.npz"))
        print("  points: " + ", ".join(points))
        log = folder / "runs.jsonl"
        for line in log.read_text().splitlines() if log.is_file() else []:
            r = json.loads(line)
            grown = r.get("numba_cache_files_after", 0) - r.get("numba_cache_files_before", 0)
            kind = "cold" if r.get("cold") else "warm"
            if not r.get("cold") and grown > 0:
                kind = f"partly cold ({grown} numba cache files written)"
            print(
                f"  run {r.get('started', '?')}: {len(r['points'])} point(s), "
                f"{r['wall_s']:.0f} s, peak RSS {r['peak_rss_bytes'] / 2**30:.2f} GiB, {kind}"
            )
    return 0


def _scaling(args: argparse.Namespace) -> int:
    from .scaling import markdown_table, run_scaling

    only = args.only.split(",") if args.only else None
    result = run_scaling(args.output, only=only, bench_python=args.bench_python, repeat=args.repeat)
    print(markdown_table(result))
    return 0


def _n3lo(args: argparse.Namespace) -> int:
    from . import n3lo

    return n3lo.main(args)


def _bench_python() -> str | None:
    """The Python of the bench venv: $EKODASK_BENCH_PYTHON, else the repository's .venv-bench."""
    import os
    from pathlib import Path

    default = Path(__file__).resolve().parents[2] / ".venv-bench" / "bin" / "python"
    path = os.environ.get("EKODASK_BENCH_PYTHON", str(default))
    return path if os.path.exists(path) else None


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m ekodask.benchmarks``."""
    parser = argparse.ArgumentParser(prog="python -m ekodask.benchmarks")
    sub = parser.add_subparsers(dest="command", required=True)
    p_lha = sub.add_parser("lha", help="ekodask against the LHA tables")
    p_lha.add_argument("tables", nargs="*", help="table names (default: all)")
    p_lha.add_argument("--operator", help="operator card whose numerics replace the defaults")
    p_lha.add_argument("--eko", action="store_true", help="use the cached eko operators instead")
    p_lha.add_argument("--cache", default=str(ref.DEFAULT_CACHE), help="eko cache (with --eko)")
    p_lha.add_argument("--eko-iterations", type=int, help="eko's own ev_op_iterations (with --eko)")
    p_lha.add_argument("--rtol", type=float, default=lha.RTOL)
    p_lha.add_argument("--atol", type=float, default=lha.ATOL)
    p_eko = sub.add_parser("eko", help="ekodask against the cached eko operators")
    p_eko.add_argument("theory", nargs="?", default=None, help="theory card (default: conf)")
    p_eko.add_argument("operator", nargs="?", default=None, help="operator card (default: conf)")
    p_eko.add_argument("--cache", default=str(ref.DEFAULT_CACHE))
    p_eko.add_argument("--threshold", type=float, default=1e-6, help="entries above this x max")
    p_eko.add_argument("--eko-iterations", type=int, help="eko's own ev_op_iterations")
    p_eko.add_argument(
        "--beyond-error", action="store_true", help="count only differences beyond eko's error"
    )
    p_eko.add_argument("--no-endpoint", action="store_true", help="leave out the x_in = 1 column")
    p_eko.add_argument("--blocks", type=int, default=0, help="print the N worst flavour blocks")
    p_eko.add_argument("--rtol", type=float, default=1e-3, help="exit 1 above this difference")
    p_cache = sub.add_parser("cache", help="list the cached eko operators and their runs")
    p_cache.add_argument("--cache", default=str(ref.DEFAULT_CACHE))
    p_scaling = sub.add_parser("scaling", help="wall time and memory against nx, mu2, workers")
    p_scaling.add_argument(
        "-o", "--output", default="ekodask/benchmarks/results", help="folder of json, md, png"
    )
    p_scaling.add_argument(
        "--only",
        help="comma-separated groups: mu2, cores, nx, members, bounds, eko, hoppet (default: all)",
    )
    p_scaling.add_argument(
        "--bench-python",
        default=_bench_python(),
        help="Python with hoppet for the HOPPET row ($EKODASK_BENCH_PYTHON, else .venv-bench)",
    )
    p_scaling.add_argument("--repeat", type=int, default=1, help="runs per row, best kept")
    p_export = sub.add_parser(
        "export", help="peak memory of an eko-tar export against the number of points"
    )
    eko_export.add_arguments(p_export)
    from . import n3lo

    n3lo.add_arguments(sub.add_parser("n3lo", help="aN3LO: against eko, toy tables, timing"))
    args = parser.parse_args(argv)
    commands = {
        "lha": _lha,
        "eko": _eko,
        "cache": _cache,
        "scaling": _scaling,
        "export": eko_export.run,
        "n3lo": _n3lo,
    }
    try:
        return commands[args.command](args)
    except (EkodaskError, KeyError, ValueError, ImportError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
