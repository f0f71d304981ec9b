"""Measure zarr codecs on EKO-like operators: compression ratio, write and read speed.

Run: ``python -m ekodask.benchmarks.store_codecs [--nx 60] [--count 12] [--store PATH]``.
Without --store it writes synthetic operators shaped like real ones (see
:func:`synthetic_operator`); with --store it uses the final operators of an existing ekodask
store. Each codec writes every operator as one chunk into a fresh local directory store and
reads it back, as the store does. Timings are wall-clock, best of --repeat runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import zarr
from zarr.codecs import BloscCodec, BloscShuffle, GzipCodec, ZstdCodec
from zarr.storage import LocalStore

from ekodask.store._layout import read_array

__all__ = ["CODECS", "measure", "synthetic_operator"]

CODECS: dict[str, Callable[[], Any]] = {
    "none": lambda: None,
    "zstd-0": lambda: ZstdCodec(level=0),
    "zstd-1": lambda: ZstdCodec(level=1),
    "zstd-3+checksum": lambda: ZstdCodec(level=3, checksum=True),
    "zstd-9": lambda: ZstdCodec(level=9),
    "gzip-5": lambda: GzipCodec(level=5),
    "blosc-lz4-shuffle": lambda: BloscCodec(
        cname="lz4", clevel=5, shuffle=BloscShuffle.shuffle, typesize=8
    ),
    "blosc-zstd5-shuffle": lambda: BloscCodec(
        cname="zstd", clevel=5, shuffle=BloscShuffle.shuffle, typesize=8
    ),
    "blosc-zstd5-bitshuffle": lambda: BloscCodec(
        cname="zstd", clevel=5, shuffle=BloscShuffle.bitshuffle, typesize=8
    ),
}


def synthetic_operator(nx: int, nf: int, seed: int) -> npt.NDArray[np.float64]:
    """An operator (14, nx, 14, nx) with the sparsity of a real one at nf active flavours.

    The photon is an identity block; the 2 nf active quarks and the gluon mix with each other
    (the singlet couples them all); inactive heavy quarks are zero. In x each block is upper
    triangular plus a band of 4 below (a degree-4 interpolation), f(x) depending on f(y >= x);
    entries fall with the distance in log x and carry full-precision random mantissas.
    """
    rng = np.random.default_rng(seed)
    pids = (22, -6, -5, -4, -3, -2, -1, 21, 1, 2, 3, 4, 5, 6)
    active = [i for i, p in enumerate(pids) if p == 21 or 0 < abs(p) <= nf]
    op = np.zeros((14, nx, 14, nx))
    dist = np.subtract.outer(np.arange(nx), np.arange(nx))  # a - b
    shape_x = np.where(dist <= 4, np.exp(-0.15 * np.abs(dist)), 0.0)
    for i in active:
        for j in active:
            scale = 1.0 if i == j else 1e-2
            noise = 1.0 + 0.3 * rng.standard_normal((nx, nx))
            op[i, :, j, :] = scale * shape_x * noise
    op[0, :, 0, :] = np.eye(nx)
    return op


def measure(
    ops: list[npt.NDArray[np.float64]], codec_name: str, workdir: str, repeat: int = 2
) -> dict[str, float]:
    """Ratio (raw/stored bytes), write and read throughput (raw MB/s) of one codec.

    read: zarr's generic arr[...]; store_read: ekodask.store's reader (decompresses straight
    into the result for zstd chunks, else the same as read).
    """
    raw = sum(op.nbytes for op in ops)
    best_w = best_r = best_s = float("inf")
    stored = 0
    for _ in range(repeat):
        path = os.path.join(workdir, f"{codec_name}.zarr")
        shutil.rmtree(path, ignore_errors=True)
        root = zarr.open_group(LocalStore(path), mode="w", zarr_format=3)
        t0 = time.perf_counter()
        for k, op in enumerate(ops):
            arr = root.create_array(
                f"op{k}",
                shape=op.shape,
                chunks=op.shape,
                dtype="float64",
                compressors=CODECS[codec_name](),
                fill_value=np.nan,
            )
            arr[...] = op
        best_w = min(best_w, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for k in range(len(ops)):
            back = root[f"op{k}"][...]
        best_r = min(best_r, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for k in range(len(ops)):
            back = read_array(root[f"op{k}"], "benchmark")
        best_s = min(best_s, time.perf_counter() - t0)
        np.testing.assert_array_equal(back, ops[-1])
        stored = sum(
            os.path.getsize(os.path.join(d, f))
            for d, _, fs in os.walk(path)
            for f in fs
            if f != "zarr.json"
        )
        shutil.rmtree(path)
    return {
        "ratio": raw / stored,
        "write_MBps": raw / best_w / 1e6,
        "read_MBps": raw / best_r / 1e6,
        "store_read_MBps": raw / best_s / 1e6,
    }


def main(argv: list[str] | None = None) -> int:
    """Print one table row per codec."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nx", type=int, default=60)
    parser.add_argument("--count", type=int, default=12, help="operators per codec")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--store", help="measure the final operators of this ekodask store")
    parser.add_argument("--codecs", nargs="*", default=list(CODECS))
    args = parser.parse_args(argv)
    if args.store:
        from ekodask.store import open as open_store

        eko = open_store(args.store)
        ops = [op for _, (_, op) in zip(range(args.count), eko.items(), strict=False)]
        what = f"{len(ops)} finals of {args.store}"
    else:
        nfs = [3, 4, 5, 5]
        ops = [synthetic_operator(args.nx, nfs[k % 4], k) for k in range(args.count)]
        what = f"{len(ops)} synthetic operators nx={args.nx} (nf 3, 4, 5, 5 in turn)"
    nbytes = ops[0].nbytes
    zeros = np.mean([np.mean(op == 0) for op in ops])
    print(f"{what}, {nbytes / 1e6:.2f} MB each, zero fraction {zeros:.2f}")
    print(f"{'codec':24s} {'ratio':>6s} {'write MB/s':>11s} {'read MB/s':>10s} {'store read':>10s}")
    with tempfile.TemporaryDirectory() as workdir:
        for name in args.codecs:
            r = measure(ops, name, workdir, args.repeat)
            print(
                f"{name:24s} {r['ratio']:6.2f} {r['write_MBps']:11.0f} {r['read_MBps']:10.0f}"
                f" {r['store_read_MBps']:10.0f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
