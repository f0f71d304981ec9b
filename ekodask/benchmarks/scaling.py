"""Scaling benchmark: 1 vs 20 vs 200 mu2, 1 vs 2 cores, 1 vs 100 PDF members, nx, memory.

``python -m ekodask.benchmarks scaling`` measures, in one invocation on one machine, every row
of :data:`ROWS`: each is a fresh Python process (``whole process``: its wall time from start to
exit, imports included; ``run``: the time inside ``ekodask.run`` or ``evolve_pdf`` alone; peak
resident memory of the process and of its children). Cards: the LHA NNLO VFNS benchmark
(ekodask/conf/theory.yaml), eko's lambert x-grid of nx points (interpolation.lambert_xgrid),
mu2 from 2.5 to 1e4 GeV^2 (nf 4 and 5; one mu2: 1e4). The cores of a row are the first ones of
this process's CPU affinity (``os.sched_setaffinity``), so "1 core" runs the default scheduler
on one core. Ratios are printed from the same invocation. Optional rows, where available:
eko's wall time for the 20 mu2 job from the eko reference cache (:mod:`.eko_reference`, a
recorded eko run, not rerun here) and HOPPET (:mod:`.hoppet_job`, run with ``--bench-python``)
on the LHA job "evolve the toy PDFs to 20 scales at NNLO VFNS", against the ekodask job.
Writes ``scaling.json`` and ``scaling.md`` (and ``scaling.png`` with matplotlib).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "ROWS",
    "cards",
    "lha_job",
    "marginal",
    "markdown_table",
    "measure",
    "plot",
    "ratios",
    "run_scaling",
]

#: (group, label, spec): every spec runs in its own process; "cores" None = all
ROWS: list[tuple[str, str, dict[str, Any]]] = [
    ("mu2", "1 mu2", {"job": "run", "nx": 60, "n_mu2": 1}),
    ("mu2", "20 mu2", {"job": "run", "nx": 60, "n_mu2": 20}),
    ("mu2", "200 mu2", {"job": "run", "nx": 60, "n_mu2": 200}),
    ("cores", "1 core", {"job": "run", "nx": 120, "n_mu2": 20, "cores": 1}),
    ("cores", "2 cores threads", {"job": "run", "nx": 120, "n_mu2": 20, "cores": 2}),
    (
        "cores",
        "2 cores processes",
        {"job": "run", "nx": 120, "n_mu2": 20, "cores": 2, "scheduler": "processes"},
    ),
    ("nx", "nx 30", {"job": "run", "nx": 30, "n_mu2": 20}),
    ("nx", "nx 60", {"job": "run", "nx": 60, "n_mu2": 20}),
    ("nx", "nx 120", {"job": "run", "nx": 120, "n_mu2": 20}),
    ("members", "1 member", {"job": "evolve", "members": 1}),
    ("members", "100 members", {"job": "evolve", "members": 100}),
    # the operator card's error_bounds: false (operators stored without their error bounds)
    ("bounds", "1 mu2 no bounds", {"job": "run", "nx": 60, "n_mu2": 1, "error_bounds": False}),
    ("bounds", "20 mu2 no bounds", {"job": "run", "nx": 60, "n_mu2": 20, "error_bounds": False}),
    (
        "bounds",
        "200 mu2 no bounds",
        {"job": "run", "nx": 60, "n_mu2": 200, "error_bounds": False},
    ),
]

#: ratio name -> (numerator label, denominator label, target or None, "max" / "min")
RATIOS: dict[str, tuple[str, str, float | None, str]] = {
    "20 mu2 / 1 mu2": ("20 mu2", "1 mu2", 1.3, "max"),
    "200 mu2 / 1 mu2": ("200 mu2", "1 mu2", 3.0, "max"),
    "1 core / 2 cores threads": ("1 core", "2 cores threads", 1.6, "min"),
    "1 core / 2 cores processes": ("1 core", "2 cores processes", 1.6, "min"),
    "100 members / 1 member": ("100 members", "1 member", 2.0, "max"),
    "nx 120 / nx 60": ("nx 120", "nx 60", None, "max"),
    "nx 60 / nx 30": ("nx 60", "nx 30", None, "max"),
    "20 mu2 / 1 mu2, no bounds": ("20 mu2 no bounds", "1 mu2 no bounds", None, "max"),
    "200 mu2 / 1 mu2, no bounds": ("200 mu2 no bounds", "1 mu2 no bounds", None, "max"),
    "20 mu2, bounds / no bounds": ("20 mu2", "20 mu2 no bounds", None, "max"),
}


def cards(nx: int, n_mu2: int, error_bounds: bool = True) -> tuple[dict[str, Any], dict[str, Any]]:
    """Theory and operator overrides of a row: LHA NNLO VFNS, lambert grid, mu2 up to 1e4."""
    from ..interpolation import lambert_xgrid

    mu2 = [1e4] if n_mu2 == 1 else np.geomspace(2.5, 1e4, n_mu2).tolist()
    operator: dict[str, Any] = {"xgrid": lambert_xgrid(nx).tolist(), "mu2grid": mu2}
    if not error_bounds:
        operator["error_bounds"] = False
    return {"order": 3}, operator


def _peaks() -> dict[str, float]:
    """Peak RSS (MiB) of this process and of its largest child; CPU seconds of both."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    # VmHWM: this process's own high-water mark (ru_maxrss keeps the forking parent's size
    # across exec on Linux); the children's figure is ru_maxrss, an upper bound for that reason
    hwm = own.ru_maxrss
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return {
        "peak_mib": hwm / 1024.0,
        "children_peak_mib": kids.ru_maxrss / 1024.0,
        "cpu_s": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
    }


def _pin(cores: int | None) -> int:
    cpus = sorted(os.sched_getaffinity(0))
    if cores is not None:
        cpus = cpus[: int(cores)]
        os.sched_setaffinity(0, cpus)
    return len(cpus)


def _child(spec: dict[str, Any]) -> None:
    """Run one row in this (fresh) process and print its JSON record as the last line."""
    cores = _pin(spec.get("cores"))
    if spec["job"] != "evolve":  # an evolve-pdf process imports no Dask (as the CLI's)
        from ..graph import run

    out: dict[str, Any] = {"cores": cores}
    t0 = time.perf_counter()
    if spec["job"] == "run":
        theory, operator = spec["cards"]
        run(theory, operator, spec["path"], scheduler=spec.get("scheduler"))
    elif spec["job"] == "evolve":
        from ..pdfs.api import evolve_pdf

        evolve_pdf(spec["store"], spec["pdfset"], spec["path"])
    elif spec["job"] == "lha":
        out.update(lha_job(spec["path"]))
    else:
        raise ValueError(f"unknown job {spec['job']!r}")
    out["run_s"] = time.perf_counter() - t0
    out.update(_peaks())
    print(json.dumps(out), flush=True)


def _fresh_python(python: str, code: str) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``code`` in a new interpreter with this repository on the path; (process, wall s)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, check=False, env=env
    )
    return proc, time.perf_counter() - t0


def measure(spec: dict[str, Any], python: str = sys.executable) -> dict[str, Any]:
    """Run ``spec`` in a fresh interpreter; its record plus ``process_s`` (whole process).

    A run row's cards are made here and handed over as they would be read from card files
    (the x-grid as numbers: making eko's lambert grid needs scipy.special, no part of a run).
    """
    if spec["job"] == "run" and "cards" not in spec:
        spec = {**spec, "cards": cards(spec["nx"], spec["n_mu2"], spec.get("error_bounds", True))}
    code = (
        "import json; from ekodask.benchmarks.scaling import _child; "
        f"_child(json.loads({json.dumps(spec)!r}))"
    )
    proc, wall = _fresh_python(python, code)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark row {spec} failed:\n{proc.stderr[-2000:]}")
    record = json.loads(proc.stdout.strip().splitlines()[-1])
    return {**record, "process_s": wall}


def lha_job(path: str) -> dict[str, Any]:
    """ekodask on "evolve the LHA toy PDFs to 20 scales at NNLO VFNS" (60-point LHA grid).

    Computes the 20-scale store and applies it to the toy PDFs at every scale; returns the
    worst relative difference to the NNLO VFNS table (entries above lha.FLOOR) at mu2 = 1e4.
    """
    from ..graph import run
    from ..pdfs.toy import lha_tables
    from . import lha

    table = lha_tables()["tables"]["NNLO_VFNS"]
    mu2 = np.geomspace(2.5, 1e4, 20).tolist()
    eko = run({"order": 3}, {"mu2grid": mu2}, path)
    values = {p: lha.apply_operator(op, eko.xgrid, lha_tables()["x"]) for p, op in eko.items()}
    result = lha.compare_table("NNLO_VFNS", lha_tables()["x"], values[(1e4, 5)], table["xf"])
    return {"worst_rel": result.worst_relative[0], "worst_abs": result.worst_absolute}


def _members_set(folder: Path, n: int, xgrid: np.ndarray) -> Path:
    """An LHAPDF set of n members: the LHA toy PDFs, member k scaled by (1 + k/1000)."""
    from ..pdfs.lhapdf import member_path, open_set, read_member, write_info, write_member
    from ..pdfs.toy import write_toy_set

    out = folder / f"toy{n}"
    write_toy_set(out, xgrid)
    base = read_member(member_path(out, out.name, 0))
    for k in range(1, n):
        grids = [
            type(g)(x=g.x, q=g.q, pids=g.pids, xf=g.xf * (1.0 + k / 1000.0)) for g in base.subgrids
        ]
        write_member(member_path(out, out.name, k), {"PdfType": "replica"}, grids)
    info = dict(open_set(out).info, NumMembers=n, ErrorType="replicas")
    write_info(out / f"{out.name}.info", info)
    return out


def _eko_row(tmp: Path) -> dict[str, Any] | None:
    """eko's recorded wall time on the 20 mu2 nx = 60 cards (reference cache), or None."""
    try:
        from ..cards import load_cards
        from . import eko_reference as ref
    except ImportError:
        return None
    theory, operator = load_cards(*cards(60, 20))
    try:
        runs = ref.eko_runs(theory, operator, ref.DEFAULT_CACHE, None)
    except (OSError, ValueError, KeyError):
        return None
    wanted = {tuple(p) for p in ref.evolution_points(theory, operator)}
    warm = [r for r in runs if not r.get("cold")]
    full = [r for r in warm if {tuple(p) for p in r["points"]} >= wanted]
    if not full:
        return None
    r = full[-1]
    return {
        "eko_s": float(r["wall_s"]),
        "eko_peak_mib": r["peak_rss_bytes"] / 2**20,
        "started": r.get("started", "?"),
    }


def ratios(rows: dict[str, dict[str, Any]], key: str = "process_s") -> dict[str, dict]:
    """Every ratio of :data:`RATIOS` whose rows were measured, with its target verdict.

    ``value``: of ``key`` (whole-process wall time); ``cpu``: of the CPU seconds, less sensitive
    to other load on the machine (but blind to parallel speed-up).
    """
    out = {}
    for name, (num, den, target, kind) in RATIOS.items():
        if num in rows and den in rows:
            value = rows[num][key] / rows[den][key]
            ok = None if target is None else (value <= target if kind == "max" else value >= target)
            cpu = None
            if rows[num].get("cpu_s") and rows[den].get("cpu_s"):
                cpu = rows[num]["cpu_s"] / rows[den]["cpu_s"]
            out[name] = {"value": value, "cpu": cpu, "target": target, "kind": kind, "ok": ok}
    return out


def marginal(rows: dict[str, dict[str, Any]], suffix: str = "") -> dict[str, float] | None:
    """What one more mu2 costs and what a run costs before its first point, from the mu2 rows.

    ``per_mu2_ms``: (200 mu2 - 20 mu2) / 180, whole process, in ms; ``fixed_s``: the 1 mu2
    run less one such point. The 20/1 and 200/1 ratios are (fixed + k per_mu2) / (fixed +
    per_mu2): they fall as the fixed cost grows, so these two figures say more about a change.
    ``suffix``: the rows' label suffix (" no bounds": the rows without error bounds).
    """
    one, twenty, two_hundred = (f"{n} mu2{suffix}" for n in (1, 20, 200))
    if not {one, twenty, two_hundred} <= rows.keys():
        return None
    per = (rows[two_hundred]["process_s"] - rows[twenty]["process_s"]) / 180.0
    cpu = (rows[two_hundred]["cpu_s"] - rows[twenty]["cpu_s"]) / 180.0
    return {
        "per_mu2_ms": 1e3 * per,
        "per_mu2_cpu_ms": 1e3 * cpu,
        "fixed_s": rows[one]["process_s"] - per,
    }


def run_scaling(
    out_dir: str | Path,
    quiet: bool = False,
    only: list[str] | None = None,
    bench_python: str | None = None,
    repeat: int = 1,
) -> dict[str, Any]:
    """Measure the rows (``only``: those groups); write ``scaling.json``, ``.md`` (``.png``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, dict[str, Any]] = {}
    groups: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="ekodask-scaling-") as tmp_name:
        tmp = Path(tmp_name)
        selected = [r for r in ROWS if only is None or r[0] in only]
        if any(r[0] == "members" for r in selected):
            _prepare_members(tmp)
        for group, label, spec in selected:
            best = None
            for i in range(repeat):
                path = tmp / f"{label.replace(' ', '_')}-{i}"
                full = {**spec, "path": str(path)}
                if spec["job"] == "evolve":
                    full.update(
                        store=str(tmp / "store20.zarr"), pdfset=str(tmp / f"toy{spec['members']}")
                    )
                rec = {**spec, "label": label, **measure(full)}
                best = rec if best is None or rec["process_s"] < best["process_s"] else best
                shutil.rmtree(path, ignore_errors=True)
            rows[label] = best
            groups.setdefault(group, []).append(label)
            if not quiet:
                print(json.dumps(best), flush=True)
        extra: dict[str, Any] = {}
        if only is None or "eko" in only:
            eko = _eko_row(tmp)
            if eko is not None and "20 mu2" in rows:
                eko["ratio"] = eko["eko_s"] / rows["20 mu2"]["process_s"]
            extra["eko"] = eko
        if bench_python and (only is None or "hoppet" in only):
            extra["hoppet"] = _hoppet_rows(tmp, bench_python)
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {_cores()} cores, Python {platform.python_version()}",
        "load": os.getloadavg(),
        "repeat": repeat,
        "groups": groups,
        "rows": rows,
        "ratios": ratios(rows),
        "marginal": marginal(rows),
        "marginal_no_bounds": marginal(rows, " no bounds"),
        **extra,
    }
    (out / "scaling.json").write_text(json.dumps(result, indent=1))
    (out / "scaling.md").write_text(markdown_table(result))
    try:
        plot(result, out / "scaling.png")
    except ImportError:
        pass
    return result


def _prepare_members(tmp: Path) -> None:
    """The 20-point store (LHA grid, like evolve-pdf's users) and the 1- and 100-member sets."""
    from ..graph import run

    eko = run({"order": 3}, {"mu2grid": np.geomspace(2.5, 1e4, 20).tolist()}, tmp / "store20.zarr")
    x = np.asarray(eko.xgrid)
    for n in (1, 100):
        _members_set(tmp, n, x)


def _hoppet_rows(tmp: Path, bench_python: str) -> dict[str, Any]:
    """HOPPET and ekodask on the LHA 20-scale NNLO VFNS job, each in a fresh process."""
    ours = measure({"job": "lha", "path": str(tmp / "lha.zarr")})
    code = "from ekodask.benchmarks.hoppet_job import main; main()"
    proc, wall = _fresh_python(bench_python, code)
    if proc.returncode != 0:
        return {
            "error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed",
            "ekodask": ours,
        }
    theirs = {**json.loads(proc.stdout.strip().splitlines()[-1]), "process_s": wall}
    return {"ekodask": ours, "hoppet": theirs}


def _cores() -> int:
    return len(os.sched_getaffinity(0))


def markdown_table(result: dict[str, Any]) -> str:
    """The measurements, ratios and comparisons as markdown."""
    load = ", ".join(f"{v:.1f}" for v in result.get("load", ()))
    lines = [
        f"Measured {result['date']} on {result['machine']} (load average {load}; best of "
        f"{result.get('repeat', 1)}). LHA NNLO VFNS, lambert x-grid, iterate-magnus4.",
        "",
        "| row | nx | mu2 | cores | scheduler | whole process [s] | in run [s] | CPU [s] "
        "| peak [MiB] |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, r in result["rows"].items():
        peak = max(r.get("peak_mib", 0.0), r.get("children_peak_mib", 0.0))
        lines.append(
            f"| {label} | {r.get('nx', 60)} | {r.get('n_mu2', 20)} | {r['cores']} "
            f"| {'-' if r.get('job') == 'evolve' else r.get('scheduler') or 'threads'} "
            f"| {r['process_s']:.2f} | {r['run_s']:.2f} | {r.get('cpu_s', float('nan')):.2f} "
            f"| {peak:.0f} |"
        )
    lines += [
        "",
        "| ratio | whole process | CPU time | target (whole process) |",
        "| --- | --- | --- | --- |",
    ]
    for name, q in result.get("ratios", {}).items():
        cpu = "" if q.get("cpu") is None else f"{q['cpu']:.2f}"
        target = (
            ""
            if q["target"] is None
            else (
                f"{'<=' if q['kind'] == 'max' else '>='} {q['target']:g} "
                f"({'met' if q['ok'] else 'missed'})"
            )
        )
        lines.append(f"| {name} | {q['value']:.2f} | {cpu} | {target} |")
    for key, what in (("marginal", ""), ("marginal_no_bounds", ", without error bounds")):
        m = result.get(key)
        if m:
            lines += [
                "",
                f"One more mu2 (200 vs 20 mu2, nx = 60, 2 cores{what}): {m['per_mu2_ms']:.1f} "
                f"ms of wall ({m['per_mu2_cpu_ms']:.1f} ms of CPU); a run before its first "
                f"point (1 mu2 less one): {m['fixed_s']:.2f} s.",
            ]
    eko = result.get("eko")
    if eko:
        lines += [
            "",
            f"eko 0.15.7 on the 20 mu2 nx = 60 cards: {eko['eko_s']:.0f} s (recorded "
            f"run of {eko['started']} from the eko reference cache, not rerun); "
            f"eko / ekodask = {eko.get('ratio', float('nan')):.0f} (target >= 500).",
        ]
    elif "eko" in result:
        lines += [
            "",
            "eko: no recorded warm run of the 20 mu2 nx = 60 cards in the eko "
            "reference cache (python -m ekodask.benchmarks.eko_reference).",
        ]
    hop = result.get("hoppet")
    if hop and "hoppet" in hop:
        o, h = hop["ekodask"], hop["hoppet"]
        lines += [
            "",
            "LHA job (toy PDFs to 20 scales, NNLO VFNS; worst relative difference to the "
            "NNLO VFNS table at mu2 = 1e4, entries above 1e-5):",
            "",
            "| code | whole process [s] | in job [s] | worst rel. diff |",
            "| --- | --- | --- | --- |",
            f"| ekodask (60-point grid) | {o['process_s']:.2f} | {o['run_s']:.2f} "
            f"| {o['worst_rel']:.1e} |",
            f"| HOPPET {h.get('version', '')} (dy = {h['dy']}) | {h['process_s']:.2f} "
            f"| {h['run_s']:.2f} | {h['worst_rel']:.1e} |",
        ]
    elif hop:
        lines += ["", f"HOPPET: not measured ({hop.get('error')})."]
    return "\n".join(lines) + "\n"


def plot(result: dict[str, Any], path: str | Path) -> None:
    """Whole-process wall time of every row, grouped (needs matplotlib)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = result["groups"]
    fig, axes = plt.subplots(1, len(groups), figsize=(3.2 * len(groups), 3.2), squeeze=False)
    for ax, (group, labels) in zip(axes[0], groups.items(), strict=True):
        values = [result["rows"][lab]["process_s"] for lab in labels]
        ax.bar(range(len(labels)), values)
        ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right", fontsize=8)
        ax.set_title(group)
    axes[0][0].set_ylabel("whole process [s]")
    fig.suptitle(f"ekodask scaling, {result['date']}, {result['machine']}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
