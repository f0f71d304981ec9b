"""Peak memory of ``ekodask export`` against the number of evolution points.

Builds stores of synthetic operators (random float64, nx points, an error array at every other
point) and exports each in a fresh process, reading that process's VmHWM (peak resident set)
from /proc at the end; the target is a 200-point export within 1.5x of a 2-point one (memory flat
in the number of points). Run as ``python -m ekodask.benchmarks export [--nx 30]
[--points 2 200] [--json FILE]`` (or ``python -m ekodask.benchmarks.eko_export ...``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["add_arguments", "main", "make_store", "measure_export", "run"]

_CHILD = """
import sys, time
from ekodask.eko_compat import export
def hwm():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) * 1024
start_hwm = hwm()
t0 = time.perf_counter()
export(sys.argv[1], sys.argv[2])
print(start_hwm, hwm(), time.perf_counter() - t0)
"""


def make_store(path: Path, n_points: int, nx: int) -> Path:
    """A store of n_points synthetic finals (default theory, xgrid of nx points)."""
    from ..cards import compat_dict, load_cards
    from ..pids import PIDS
    from ..store import create

    xgrid = np.geomspace(1e-5, 1.0, nx)
    xgrid[-1] = 1.0
    mu2 = np.geomspace(10.0, 1e4, n_points)
    points = [[float(m), 5 if m >= 4.5**2 else 4] for m in mu2]
    th, op = load_cards(None, {"xgrid": xgrid.tolist(), "mu2grid": points})
    st = create(
        path,
        metadata={"theory": th.to_dict(), "operator": op.to_dict()},
        compat=compat_dict(th, op),
        xgrid=xgrid,
        pids=PIDS,
    )
    rng = np.random.default_rng(0)
    shape = (len(PIDS), nx, len(PIDS), nx)
    for i, p in enumerate(points):
        op_array = rng.standard_normal(shape)
        st.write_final(tuple(p), op_array, np.abs(op_array) * 1e-9 if i % 2 else None)
    return path


def measure_export(store: Path, out: Path) -> dict[str, Any]:
    """Export store to out in a fresh interpreter; its peak RSS before and after, wall time."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(store), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    start_hwm, end_hwm, wall = done.stdout.split()
    return {
        "import_peak_bytes": int(start_hwm),
        "peak_bytes": int(end_hwm),
        "wall_s": float(wall),
        "tar_bytes": out.stat().st_size,
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the benchmark (also ``python -m ekodask.benchmarks export``)."""
    parser.add_argument("--nx", type=int, default=30, help="x-grid points (default 30)")
    parser.add_argument(
        "--points", type=int, nargs="+", default=[2, 200], help="store sizes (default 2 200)"
    )
    parser.add_argument("--json", help="also write the results to this file")


def main(argv: list[str] | None = None) -> int:
    """Command line: export stores of each --points size and print the peak-memory ratio."""
    parser = argparse.ArgumentParser(prog="python -m ekodask.benchmarks.eko_export")
    add_arguments(parser)
    return run(parser.parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Export a store of each size in ``args.points``; exit 1 when the peak ratio exceeds 1.5."""
    results = []
    with tempfile.TemporaryDirectory(prefix="ekodask-export-") as tmp:
        for n in args.points:
            t0 = time.perf_counter()
            store = make_store(Path(tmp) / f"s{n}.zarr", n, args.nx)
            built = time.perf_counter() - t0
            record = {"points": n, "nx": args.nx, "build_s": built}
            record.update(measure_export(store, Path(tmp) / f"s{n}.tar"))
            results.append(record)
            print(
                f"{n:4d} points nx={args.nx}: peak {record['peak_bytes'] / 2**20:7.1f} MiB "
                f"(after imports {record['import_peak_bytes'] / 2**20:6.1f} MiB), "
                f"export {record['wall_s']:.2f} s, tar {record['tar_bytes'] / 2**20:.1f} MiB",
                flush=True,
            )
    first, last = results[0], results[-1]
    ratio = last["peak_bytes"] / first["peak_bytes"]
    print(f"peak ratio {last['points']} / {first['points']} points: {ratio:.3f} (target <= 1.5)")
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, "ratio": ratio}, indent=1))
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
