"""How far backward evolution can be trusted: forward then backward, back to the start.

The LHA toy PDFs at mu0^2 = 2 GeV^2 (hep-ph/0204316 Sec. 4.1; NNLO VFNS, the LHA masses, but
alpha_s(M_Z) = 0.118: the LHA reference sits on the charm threshold, where its nf would follow
each card's nf0 and the two EKOs would not share one a_s) are evolved forward to mu2 and then
backward to 2 GeV^2 (nf = 3) with a second EKO that starts at mu2, once per
``inversion_method``; the result is compared with the input. Two paths:

- ``threshold``: 2 -> 4 GeV^2 across the charm threshold (at 2 GeV^2) and back;
- ``long``: 2 -> 1e4 GeV^2 across the charm and bottom thresholds and back.

Each prints the worst relative difference |x f_back - x f_0| / |x f_0| over g, u, d, s, ubar,
dbar and x < 0.9 (where x f_0 > 1e-5 max), in x bins. The exact inverse makes the composition
the identity up to the interpolation and inversion errors of the two operators, which the
backward operator amplifies; the expanded one adds its O(a_s^3) difference.
Run as ``python -m ekodask.benchmarks.backward [--path threshold long]``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

import numpy as np

from ..cards import load_cards
from ..compute import operator_at
from ..interpolation import lha_xgrid
from ..options import INVERSION_METHODS
from ..pdfs.toy import toy_xf
from ..pids import PIDS

__all__ = ["PATHS", "main", "round_trip"]

PATHS = {"threshold": 4.0, "long": 1e4}
"""Final scale mu2 (GeV^2) of the forward leg of each path; both start and end at 2 GeV^2."""

_FLAVOURS = (21, 1, 2, 3, -1, -2)
_BINS = ((0.0, 1e-5), (1e-5, 1e-3), (1e-3, 0.9))


def round_trip(
    mu2: float, inversion_method: str, xgrid: list[float] | None = None, order: int = 3
) -> dict[str, Any]:
    """Worst relative difference per x bin after 2 -> mu2 -> 2 GeV^2 (NNLO VFNS LHA toy PDFs).

    Returns {"mu2", "inversion_method", "nx", "bins": {"lo-hi": worst}}.
    """
    grid = list(lha_xgrid()) if xgrid is None else list(xgrid)
    op = {"xgrid": grid, "inversion_method": inversion_method}
    theory = {"order": order, "alphas": 0.118, "alphas_scale": 91.1876}
    t_up, o_up = load_cards(theory, {**op, "mu2grid": [mu2]})
    nf_up = 3 + sum(1 for h in (2.0, 4.5**2) if mu2 >= h)
    t_dn, o_dn = load_cards(
        {**theory, "nf0": nf_up}, {**op, "mu0": math.sqrt(mu2), "mu2grid": [[2.0, 3]]}
    )
    up = operator_at(t_up, o_up, mu2, nf_up)
    down = operator_at(t_dn, o_dn, 2.0, 3)
    x = np.asarray(grid)
    f0 = toy_xf(x) / x
    back = np.einsum("iajb,jb->ia", down, np.einsum("iajb,jb->ia", up, f0))
    xf0, xfb = x * f0, x * back
    idx = [PIDS.index(p) for p in _FLAVOURS]
    size = np.abs(xf0[idx])
    rel = np.abs(xfb[idx] - xf0[idx]) / np.where(size > 0, size, 1.0)
    keep = size > 1e-5 * size.max()
    bins = {}
    for lo, hi in _BINS:
        sel = keep & ((x >= lo) & (x < hi))[None, :]
        bins[f"{lo:g}-{hi:g}"] = float(rel[sel].max()) if sel.any() else math.nan
    return {"mu2": mu2, "inversion_method": inversion_method, "nx": len(grid), "bins": bins}


def main(argv: list[str] | None = None) -> int:
    """Print one JSON line per path and inversion method."""
    parser = argparse.ArgumentParser(prog="python -m ekodask.benchmarks.backward")
    parser.add_argument("--path", choices=sorted(PATHS), nargs="*", default=sorted(PATHS))
    args = parser.parse_args(argv)
    for name in args.path:
        for method in INVERSION_METHODS:
            print(json.dumps({"path": name, **round_trip(PATHS[name], method)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
