"""Memory of opening a store and selecting a block of its xarray view, 2 against 200 points.

``python -m ekodask.benchmarks.xarray_view [--nx 30 60] [--points 2 200]`` writes synthetic
stores (identity operators through the store writer) in a temporary folder, then in a fresh
process per store measures: the peak resident memory (VmHWM) after the imports and after
``open(store).to_xarray().sel(pid_out=21, pid_in=21)``, and the tracemalloc peak of that
step alone; then computes one point of the selection. Prints one table, with the ratios to
the smallest store's, in one run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from ..pids import PIDS

__all__ = ["main", "measure"]

_CHILD = """
import gc, json, resource, sys, tracemalloc
import numpy as np, xarray, dask.array, zarr
import ekodask.store, ekodask.xarray_view
def rss():  # VmHWM: peak of this process image (ru_maxrss would keep the parent's across exec)
    try:
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmHWM:"))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
base = rss()
gc.collect()
tracemalloc.start()
eko = ekodask.store.open(sys.argv[1])
gg = eko.to_xarray().sel(pid_out=21, pid_in=21)
traced = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
after = rss()
one = gg.isel(point=len(eko) // 2).values
print(json.dumps({"base": base, "after": after, "traced": traced, "one": float(one.sum()),
                  "after_one": rss()}))
"""


def write_store(path: Path, n: int, nx: int) -> str:
    """A store of n identity finals on an nx-point grid (compresses to almost nothing)."""
    from ekodask.store import create

    s = create(
        str(path),
        metadata={"theory": {}, "operator": {}},
        compat={},
        xgrid=np.geomspace(1e-4, 1.0, nx),
        pids=PIDS,
    )
    op = np.eye(14 * nx).reshape(14, nx, 14, nx)
    for k in range(n):
        s.write_final((2.0 + k, 4), op)
    return s.path


def measure(path: str) -> dict[str, float]:
    """Run the measurement in a fresh Python process; bytes."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, path], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 0."""
    p = argparse.ArgumentParser(prog="python -m ekodask.benchmarks.xarray_view")
    p.add_argument("--nx", type=int, nargs="+", default=[30, 60])
    p.add_argument("--points", type=int, nargs="+", default=[2, 200])
    args = p.parse_args(argv)
    print(
        "nx  points  operator MB  RSS imports MB  RSS open+sel MB  ratio  traced open+sel KB"
        "  ratio  RSS after 1 point MB"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for nx in args.nx:
            first = None
            for n in args.points:
                m = measure(write_store(Path(tmp) / f"s{nx}_{n}.zarr", n, nx))
                first = first or m
                op_mb = 14 * nx * 14 * nx * 8 / 1e6
                print(
                    f"{nx:<3} {n:<7} {op_mb:<12.2f} {m['base'] / 1e6:<15.1f} "
                    f"{m['after'] / 1e6:<16.1f} {m['after'] / first['after']:<6.3f} "
                    f"{m['traced'] / 1e3:<19.1f} {m['traced'] / first['traced']:<6.2f} "
                    f"{m['after_one'] / 1e6:.1f}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
