"""HOPPET on the LHA job: the toy PDFs evolved to 20 scales at NNLO VFNS (benchmark only).

Run by :mod:`.scaling` with the Python of the bench environment (``pip install hoppet``):
``python -c "from ekodask.benchmarks.hoppet_job import main; main()"`` prints one JSON line
(wall time of the job in this process, worst relative difference to the NNLO VFNS table of
hep-ph/0511119 at mu2 = 1e4). Settings of the LHA benchmark: alpha_s(sqrt 2 GeV) = 0.35,
pole-mass VFNS with m_c = sqrt 2, m_b = 4.5, m_t = 175 GeV, exact NNLO splitting functions and
mass thresholds; HOPPET's grid step ``DY`` in ln 1/x (its documented 0.05 .. 0.2 range).
HOPPET's Python interface (StartExtended, SetPoleMassVFN, SetExactDGLAP, Evolve, Eval) is
used as documented in its docstrings; nothing of it is copied.
"""

from __future__ import annotations

import json
import math
import time

import numpy as np

__all__ = ["DY", "main", "run_job"]

DY = 0.05
"""HOPPET's ln(1/x) grid step (its docs: 0.05-0.2 is sensible; smaller is more precise)."""

# HOPPET's flavour order: tbar, bbar, cbar, sbar, ubar, dbar, g, d, u, s, c, b, t
_HOPPET_PIDS = (-6, -5, -4, -3, -2, -1, 21, 1, 2, 3, 4, 5, 6)


def _toy(x: float, q: float) -> list[float]:
    from ekodask.pdfs.toy import PIDS, toy_xf

    xf = toy_xf(np.array([x]))[:, 0]
    return [float(xf[PIDS.index(p)]) for p in _HOPPET_PIDS]


def run_job(dy: float = DY) -> dict:
    """Evolve with HOPPET, read the 20 scales; the worst differences to the LHA table."""
    import hoppet

    from ekodask.benchmarks import lha
    from ekodask.pdfs.toy import PIDS, lha_combinations, lha_tables

    tables = lha_tables()
    xs = tables["x"]
    t0 = time.perf_counter()
    hoppet.SetExactDGLAP(True, True)
    hoppet.SetPoleMassVFN(math.sqrt(2.0), 4.5, 175.0)
    # ln 1/x up to 1e-7 (the LHA tables' smallest x), Q up to 100 GeV
    hoppet.StartExtended(17.0, dy, 1.0, 110.0, dy / 4.0, 3, -6, hoppet.factscheme_MSbar)
    hoppet.Evolve(0.35, math.sqrt(2.0), 3, 1.0, _toy, math.sqrt(2.0))
    scales = np.geomspace(2.5, 1e4, 20)
    values = {}
    for mu2 in scales:
        xf = np.zeros((len(PIDS), len(xs)))
        for a, x in enumerate(xs):
            out = hoppet.Eval(x, math.sqrt(mu2))
            for i, p in enumerate(_HOPPET_PIDS):
                xf[PIDS.index(p), a] = out[i]
        values[float(mu2)] = xf
    wall = time.perf_counter() - t0
    table = tables["tables"]["NNLO_VFNS"]
    result = lha.compare_table("NNLO_VFNS", xs, lha_combinations(values[1e4]), table["xf"])
    return {
        "run_s": wall,
        "dy": dy,
        "version": getattr(hoppet, "__version__", ""),
        "worst_rel": result.worst_relative[0],
        "worst_abs": result.worst_absolute,
    }


def main() -> None:
    """Print the job's JSON record."""
    print(json.dumps(run_job()), flush=True)
