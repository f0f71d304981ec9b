"""Pipeline benchmark: speed-up with workers, and memory against the number of mu2.

Each configuration runs in a fresh Python process with its own LocalCluster (worker processes,
one thread each), so peak memory (VmHWM) of the client and of every worker belongs to that run
alone. Usage::

    python -m ekodask.benchmarks.pipeline speedup   # 8 mu2 at nx = 120, 1 vs 2 workers
    python -m ekodask.benchmarks.pipeline memory    # 2 vs 200 mu2 at nx = 50
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

__all__ = ["measure", "run_config"]


def _vmhwm_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def _cards(order: int, nx: int, n_mu2: int) -> tuple[dict, dict]:
    xgrid = np.concatenate(
        [np.geomspace(1e-6, 0.1, nx // 2, endpoint=False), np.linspace(0.1, 1.0, nx - nx // 2)]
    )
    mu2grid = np.geomspace(30.0, 1e4, n_mu2).tolist()  # all above m_b: one threshold path
    return {"order": order}, {"xgrid": xgrid.tolist(), "mu2grid": mu2grid}


def run_config(order: int, nx: int, n_mu2: int, workers: int) -> dict:
    """One run in this process: wall time, client and worker peak memory (MiB)."""
    import distributed

    from ekodask.graph import run

    theory, operator = _cards(order, nx, n_mu2)
    with (
        tempfile.TemporaryDirectory() as tmp,
        distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        t0 = time.perf_counter()
        run(theory, operator, f"{tmp}/eko.zarr", client=client)
        wall = time.perf_counter() - t0
        worker_peaks = client.run(_vmhwm_mib)
    return {
        "order": order,
        "nx": nx,
        "n_mu2": n_mu2,
        "workers": workers,
        "wall_s": wall,
        "client_peak_mib": _vmhwm_mib(),
        "worker_peak_mib": max(worker_peaks.values()),
    }


def measure(order: int, nx: int, n_mu2: int, workers: int) -> dict:
    """:func:`run_config` in a fresh interpreter (clean peak-memory counters)."""
    code = (
        "import json, sys; from ekodask.benchmarks.pipeline import run_config; "
        f"print(json.dumps(run_config({order}, {nx}, {n_mu2}, {workers})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ekodask.benchmarks.pipeline")
    p.add_argument("what", choices=["speedup", "memory"])
    p.add_argument("--order", type=int, default=3)
    p.add_argument("--nx", type=int, default=120, help="grid size of the speed-up run")
    args = p.parse_args(argv)
    if args.what == "speedup":
        rows = [measure(args.order, args.nx, 8, w) for w in (1, 2)]
        print(
            f"speed-up 2 workers / 1 worker on 8 mu2: {rows[0]['wall_s'] / rows[1]['wall_s']:.2f}"
        )
    else:
        rows = [measure(args.order, 50, n, 2) for n in (2, 200)]
        for key in ("client_peak_mib", "worker_peak_mib"):
            print(f"{key}: 200 mu2 / 2 mu2 = {rows[1][key] / rows[0][key]:.2f}")
    for r in rows:
        print(json.dumps(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
