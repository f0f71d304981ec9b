"""aN3LO benchmark: ``python -m ekodask.benchmarks n3lo``.

(a) ekodask at order 4 against eko 0.15.7 (``order: [4, 0]``, ``use_fhmruvv: true``,
``matching_order: [2, 0]``) on the LHA cards at mu2 = 1e4 GeV^2, FFNS (nf = 4) and VFNS, central
and one variation per splitting function (eko's ``n3lo_ad_variation`` entries gg, gq, qg, qq,
ns+, ns-, nsv set to 1 one at a time): the largest relative difference of the operator entries
above 1e-6 of the largest, the x_in = 1 column left out (it multiplies f(x = 1) = 0). Both
sides use the same method (eko's ``iterate-exact``, the same steps), so the difference is that
of the physics. eko's operators come from the cache of :mod:`.eko_reference` (``--run-eko``
fills it; eko is imported only then).
(b) The LHA toy PDFs (hep-ph/0204316 Sec. 4.1) evolved to 1e4 GeV^2 at aN3LO with NNLO
matching, FFNS and VFNS, as an LHA-style table of x f, with the relative difference to NNLO.
(c) The wall time of one aN3LO point against one NNLO point, in this process, same cards.

The report (text) goes to stdout and to ``bench-results/n3lo.md``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np

from ..interpolation import lha_xgrid, log_linear_xgrid
from . import eko_reference as ref

__all__ = ["VARIATIONS", "compare_eko", "main", "settings", "timing", "toy_tables"]

MU2 = 1e4
"""Final scale of the benchmark, GeV^2."""
N3LO = {"order": 4, "matching_order": 2}
FFNS = {"scheme": "FFNS", "nf_ffns": 4, "nf0": 4}
ENTRY_NAMES = ("gg", "gq", "qg", "qq", "ns+", "ns-", "nsv")
VARIATIONS: dict[str, list[int]] = {"central": [0] * 7} | {
    name: [1 if i == k else 0 for i in range(7)] for k, name in enumerate(ENTRY_NAMES)
}
"""The compared n3lo_ad_variation settings: central and each entry set to 1 alone."""
DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "bench-results" / "n3lo.md"


def eko_xgrid(kind: str) -> list[float]:
    """The x-grid of the eko comparison: "lha" (60 points) or "small" (22 points, 2 per
    decade from 1e-7 and steps of 0.1; holds every LHA table x)."""
    grid = lha_xgrid() if kind == "lha" else log_linear_xgrid(per_decade=2, n_linear=9)
    return [float(x) for x in grid]


def settings(
    grid: str = "small", schemes: tuple[str, ...] = ("FFNS", "VFNS"), variations=None
) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(name, theory, operator) card dicts of the eko comparison."""
    out = []
    names = list(VARIATIONS) if variations is None else list(variations)
    for scheme in schemes:
        for name in names:
            theory = {**N3LO, **(FFNS if scheme == "FFNS" else {})}
            theory["n3lo_ad_variation"] = VARIATIONS[name]
            operator = {
                "xgrid": eko_xgrid(grid),
                "mu2grid": [MU2],
                "method": "iterate-exact",
                "ev_op_iterations": 10,
            }
            out.append((f"{scheme} {name}", theory, operator))
    return out


def compare_eko(
    cases: list[tuple[str, dict[str, Any], dict[str, Any]]],
    cache: Path | str = ref.DEFAULT_CACHE,
    run_eko: bool = False,
    threshold: float = 1e-6,
) -> list[dict[str, Any]]:
    """Per case: the worst relative difference to eko, where, and the eko/ekodask seconds."""
    from ..cards import load_cards
    from ..compute import operator_at

    rows = []
    for name, theory, operator in cases:
        th, op = load_cards(theory, operator)
        record = None
        if run_eko and not ref.cached_points(th, op, cache):
            record = ref.run_eko(th, op, cache)
        cached = ref.load_reference(th, op, cache)
        ((mu2, nf),) = ref.evolution_points(th, op)
        if (mu2, nf) not in cached:
            rows.append({"name": name, "missing": True})
            continue
        start = time.perf_counter()
        ours = operator_at(th, op, mu2, nf)
        wall = time.perf_counter() - start
        eko_op = cached[(mu2, nf)][0]
        columns = ref.input_columns(th, op)
        worst, (i, a, j, b) = ref.compare_operators(
            ours[..., :-1], eko_op[..., :-1], threshold, columns
        )
        blocks = ref.block_differences(ours[..., :-1], eko_op[..., :-1], threshold, columns)
        ranked = sorted(blocks.items(), key=lambda kv: -kv[1])[:3]
        runs = ref.eko_runs(th, op, cache)
        warm = [r for r in runs if not r.get("cold") and not r.get("skipped")]
        eko_wall = (warm or runs)[-1]["wall_s"] if runs else float("nan")
        if record is not None and not record.get("skipped"):
            eko_wall = record["wall_s"]
        rows.append(
            {
                "name": name,
                "worst": worst,
                "where": (ref.PIDS[i], op.xgrid[a], ref.PIDS[j], op.xgrid[b]),
                "blocks": ranked,
                "ekodask_s": wall,
                "eko_s": eko_wall,
                "nx": len(op.xgrid),
            }
        )
    return rows


def _format_eko(rows: list[dict[str, Any]]) -> str:
    lines = [
        "(a) ekodask order 4 vs eko 0.15.7 (order [4, 0], use_fhmruvv, matching_order [2, 0]),",
        f"    mu2 = {MU2:g} GeV^2, iterate-exact 10 steps on both sides, entries > 1e-6 x max,",
        "    x_in = 1 left out; worst (pid_out, x_out, pid_in, x_in); 3 worst flavour blocks",
        f"{'case':<14} {'nx':>3} {'max rel diff':>12}  {'where':<32} {'eko s':>7} {'ours s':>7}",
    ]
    for r in rows:
        if r.get("missing"):
            lines.append(f"{r['name']:<14} no cached eko operator (run with --run-eko)")
            continue
        p_out, x_out, p_in, x_in = r["where"]
        where = f"({p_out}, {x_out:.3g}, {p_in}, {x_in:.3g})"
        lines.append(
            f"{r['name']:<14} {r['nx']:>3} {r['worst']:>12.2e}  {where:<32} "
            f"{r['eko_s']:>7.0f} {r['ekodask_s']:>7.2f}"
        )
        lines.append("    blocks: " + ", ".join(f"{k}: {v:.1e}" for k, v in r["blocks"]))
    done = [r for r in rows if not r.get("missing")]
    if done:
        lines.append(f"worst over all cases: {max(r['worst'] for r in done):.2e}")
    return "\n".join(lines)


def toy_tables() -> str:
    """(b): x f of the LHA toy PDFs at 1e4 GeV^2, aN3LO (NNLO matching), and aN3LO/NNLO - 1."""
    from ..cards import load_cards
    from ..compute import operator_at
    from ..pdfs.toy import lha_tables
    from .lha import apply_operator

    x = lha_tables()["x"]
    operator = {"mu2grid": [MU2], "xgrid": [float(v) for v in lha_xgrid()]}
    out = []
    for scheme, extra, nf in (("FFNS nf = 4", FFNS, 4), ("VFNS", {}, 5)):
        values = {}
        for label, theory in (("aN3LO", {**N3LO, **extra}), ("NNLO", {"order": 3, **extra})):
            th, op = load_cards(theory, operator)
            values[label] = apply_operator(operator_at(th, op, MU2, nf), np.asarray(op.xgrid), x)
        keys = [k for k in values["aN3LO"] if not (nf == 4 and k == "b_p")]
        out.append(
            f"(b) LHA toy PDFs at mu2 = {MU2:g} GeV^2, {scheme}, aN3LO (matching NNLO), "
            "iterate-magnus4, 60-point grid: x f, and below it aN3LO/NNLO - 1 in 1e-3"
        )
        out.append(f"{'x':>7} " + " ".join(f"{k:>10}" for k in keys))
        for i, xi in enumerate(x):
            out.append(f"{xi:>7.0e} " + " ".join(f"{values['aN3LO'][k][i]:>10.4e}" for k in keys))
            rel = []
            for k in keys:
                new, old = values["aN3LO"][k][i], values["NNLO"][k][i]
                rel.append(f"{1e3 * (new / old - 1.0):>10.3f}" if abs(old) > 1e-12 else " " * 10)
            out.append(f"{'':>7} " + " ".join(rel))
        out.append("")
    return "\n".join(out)


def timing(repeat: int = 3) -> str:
    """(c): seconds of one VFNS point at 1e4 GeV^2 (60-point grid), NNLO vs aN3LO, memo emptied
    before each (the anomalous dimensions are computed every time), best of ``repeat``
    interleaved runs."""
    from ..cards import load_cards
    from ..compute import operator_at
    from ..physics import cache

    cards = {
        label: load_cards(theory, {"mu2grid": [MU2]})
        for label, theory in (("NNLO", {"order": 3}), ("aN3LO", N3LO))
    }
    walls: dict[str, list[float]] = {label: [] for label in cards}
    for _ in range(repeat):  # interleaved, so that load on a shared machine hits both alike
        for label, (th, op) in cards.items():
            cache.clear()
            start = time.perf_counter()
            operator_at(th, op, MU2, 5)
            walls[label].append(time.perf_counter() - start)
    best = {label: min(w) for label, w in walls.items()}
    return (
        f"(c) one VFNS point at {MU2:g} GeV^2, default operator card numerics, best of {repeat}: "
        f"NNLO {best['NNLO']:.2f} s, aN3LO {best['aN3LO']:.2f} s, "
        f"ratio aN3LO/NNLO {best['aN3LO'] / best['NNLO']:.2f}"
    )


def main(args: argparse.Namespace) -> int:
    """Run (a), (b), (c) as chosen; print the report and write it to ``args.output``."""
    parts = []
    if not args.no_eko:
        variations = args.variations.split(",") if args.variations else None
        schemes = tuple(args.schemes.split(","))
        cases = settings(args.grid, schemes, variations)
        parts.append(_format_eko(compare_eko(cases, args.cache, args.run_eko)))
    if not args.no_tables:
        parts.append(toy_tables())
    if not args.no_timing:
        parts.append(timing())
    text = "\n\n".join(parts)
    print(text)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out.write_text(f"# aN3LO benchmark ({stamp})\n\n```\n{text}\n```\n")
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``n3lo`` subcommand's options."""
    parser.add_argument("--cache", default=str(ref.DEFAULT_CACHE), help="eko cache folder")
    parser.add_argument("--run-eko", action="store_true", help="run eko for missing operators")
    parser.add_argument("--grid", choices=("small", "lha"), default="small", help="eko x-grid")
    parser.add_argument("--schemes", default="FFNS,VFNS", help="comma-separated FFNS,VFNS")
    parser.add_argument(
        "--variations", default="", help="comma-separated subset of " + ",".join(VARIATIONS)
    )
    parser.add_argument("--no-eko", action="store_true", help="skip (a)")
    parser.add_argument("--no-tables", action="store_true", help="skip (b)")
    parser.add_argument("--no-timing", action="store_true", help="skip (c)")
    parser.add_argument("-o", "--output", default=str(DEFAULT_OUTPUT), help="report file")
