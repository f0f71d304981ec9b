"""Scaling of wall time and peak memory with nx, the number of mu2 and the number of workers.

Every configuration is one :func:`ekodask.benchmarks.pipeline.measure` call: a fresh interpreter
with its own LocalCluster (single-threaded worker processes), NNLO VFNS cards with the mu2 above
the bottom threshold. Writes a JSON file, a markdown table and a PNG plot.
"""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path
from typing import Any

from .pipeline import measure

__all__ = ["CONFIGS", "markdown_table", "plot", "run_scaling"]

#: (order, nx, n_mu2, workers), grouped by what varies
CONFIGS: dict[str, list[tuple[int, int, int, int]]] = {
    "nx": [(3, nx, 1, 1) for nx in (30, 60, 120)],
    "n_mu2": [(3, 60, n, 2) for n in (1, 10, 100)],
    "workers": [(3, 60, 10, w) for w in (1, 2)],
}


def run_scaling(out_dir: str | Path, quiet: bool = False) -> dict[str, Any]:
    """Measure every configuration; write ``scaling.json``, ``scaling.md`` and ``scaling.png``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[dict]] = {}
    for group, configs in CONFIGS.items():
        rows[group] = []
        for cfg in configs:
            row = measure(*cfg)
            rows[group].append(row)
            if not quiet:
                print(json.dumps(row), flush=True)
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {_cores()} cores, Python {platform.python_version()}",
        "rows": rows,
    }
    (out / "scaling.json").write_text(json.dumps(result, indent=1))
    (out / "scaling.md").write_text(markdown_table(result))
    plot(result, out / "scaling.png")
    return result


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))


def markdown_table(result: dict[str, Any]) -> str:
    """The measurements as a markdown table."""
    lines = [
        f"Measured {result['date']} on {result['machine']} (NNLO VFNS, iterate-exact).",
        "",
        "| varied | nx | n_mu2 | workers | wall [s] | client peak [MiB] | worker peak [MiB] |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for group, rows in result["rows"].items():
        for r in rows:
            lines.append(
                f"| {group} | {r['nx']} | {r['n_mu2']} | {r['workers']} | {r['wall_s']:.1f} "
                f"| {r['client_peak_mib']:.0f} | {r['worker_peak_mib']:.0f} |"
            )
    return "\n".join(lines) + "\n"


def plot(result: dict[str, Any], path: str | Path) -> None:
    """Wall time and worker peak memory against each varied parameter (needs matplotlib)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = list(result["rows"])
    fig, axes = plt.subplots(2, len(groups), figsize=(4 * len(groups), 6), squeeze=False)
    for col, group in enumerate(groups):
        rows = result["rows"][group]
        xs = [r[group] for r in rows]
        axes[0][col].plot(xs, [r["wall_s"] for r in rows], "o-")
        axes[1][col].plot(xs, [r["worker_peak_mib"] for r in rows], "o-", label="worker")
        axes[1][col].plot(xs, [r["client_peak_mib"] for r in rows], "s--", label="client")
        axes[0][col].set_title(f"varying {group}")
        axes[1][col].set_xlabel(group)
        if group != "workers":
            for ax in axes[:, col]:
                ax.set_xscale("log")
    axes[0][0].set_ylabel("wall time [s]")
    axes[1][0].set_ylabel("peak memory [MiB]")
    axes[1][0].legend()
    fig.suptitle(f"ekodask scaling, {result['date']}, {result['machine']}")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
