"""The Les Houches toy PDFs (hep-ph/0204316, Sec. 4.1) and the benchmark table combinations.

Reference tables: ``ekodask/data/lha_central.yaml`` (copied from hep-ph/0204316 Tables 2-4
and hep-ph/0511119 Tables 14-15).
"""

from importlib import resources
from pathlib import Path

import numpy as np
import yaml
from numpy.typing import NDArray

from ..pids import PIDS

__all__ = ["PIDS", "lha_combinations", "lha_tables", "toy_pdfs", "toy_xf", "write_toy_set"]


_IDX = {pid: i for i, pid in enumerate(PIDS)}


def toy_xf(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """x times the LHA toy PDFs at mu0^2 = 2 GeV^2; shape (14, len(x)) in ``PIDS`` order."""
    x = np.asarray(x, dtype=float)
    xuv = 5.1072 * x**0.8 * (1.0 - x) ** 3
    xdv = 3.06432 * x**0.8 * (1.0 - x) ** 4
    xg = 1.7 * x**-0.1 * (1.0 - x) ** 5
    xdbar = 0.1939875 * x**-0.1 * (1.0 - x) ** 6
    xubar = (1.0 - x) * xdbar
    xs = 0.2 * (xubar + xdbar)
    out = np.zeros((len(PIDS), x.size))
    out[_IDX[21]] = xg
    out[_IDX[2]] = xuv + xubar
    out[_IDX[-2]] = xubar
    out[_IDX[1]] = xdv + xdbar
    out[_IDX[-1]] = xdbar
    out[_IDX[3]] = xs
    out[_IDX[-3]] = xs
    return out


def toy_pdfs(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """The LHA toy PDFs f(x) themselves (not x f); shape (14, len(x))."""
    x = np.asarray(x, dtype=float)
    return toy_xf(x) / x


def lha_combinations(xf: NDArray[np.float64]) -> dict[str, NDArray[np.float64]]:
    """The combinations of the LHA tables from x f in ``PIDS`` order (shape (14, ...))."""

    def q(pid: int) -> NDArray[np.float64]:
        return xf[_IDX[pid]]

    return {
        "u_v": q(2) - q(-2),
        "d_v": q(1) - q(-1),
        "L_m": q(-1) - q(-2),
        "L_p": 2.0 * (q(-2) + q(-1)),
        "s_v": q(3) - q(-3),
        "s_p": q(3) + q(-3),
        "c_p": q(4) + q(-4),
        "b_p": q(5) + q(-5),
        "g": q(21),
    }


def lha_tables() -> dict:
    """The reference tables: ``{"x": [...], "tables": {name: {"mu2", "scheme", "xf"}}}``."""
    text = resources.files("ekodask").joinpath("data/lha_central.yaml").read_text()
    return yaml.safe_load(text)


def write_toy_set(
    out: str | Path, xgrid: NDArray[np.float64], replicas: int = 0, *, spread: float = 0.05
) -> Path:
    """Write the LHA toy PDFs as an LHAPDF 6 set in folder ``out`` (name = folder).

    The toy PDFs do not depend on the scale: the set holds the same values at Q = 1 and 2 GeV,
    so it reads back exactly at mu0 = sqrt(2) GeV on the knots ``xgrid``. ``replicas=0``: one
    member, the toy PDFs themselves. ``replicas=N``: N toy replicas (members 1..N), each
    flavour scaled by 1 + spread * (a + b ln x / ln x_min) with a, b standard normal (seeded,
    so the set is reproducible; sum rules then hold only on average), and member 0 their mean,
    as LHAPDF's replica convention asks. A toy for tests and demonstrations, no fit.
    """
    from .lhapdf import Subgrid, member_path, write_info, write_member

    out = Path(out)
    out.mkdir(parents=True, exist_ok=False)
    x = np.asarray(xgrid, dtype=float)
    pids = (-3, -2, -1, 1, 2, 3, 21)
    xf = toy_xf(x)[[_IDX[p] for p in pids]]
    if replicas > 0:
        rng = np.random.default_rng(20021)
        a, b = rng.standard_normal((2, replicas, len(pids), 1))
        shape = np.log(x)[None, None, :] / np.log(x[0])
        members = xf[None] * (1.0 + spread * (a + b * shape))
        members = np.concatenate([members.mean(axis=0)[None], members])
    else:
        members = xf[None]
    q = np.array([1.0, 2.0])
    for index, values in enumerate(members):
        grid = Subgrid(x=x, q=q, pids=pids, xf=np.repeat(values[:, :, None], q.size, axis=2))
        kind = "central" if index == 0 else "replica"
        write_member(member_path(out, out.name, index), {"PdfType": kind}, [grid])
    info = {
        "SetDesc": "Les Houches toy PDFs at mu0^2 = 2 GeV^2 (hep-ph/0204316)"
        + (f", {replicas} toy replicas (spread {spread:g})" if replicas else ""),
        "Format": "lhagrid1",
        "DataVersion": 1,
        "NumMembers": len(members),
        "Particle": 2212,
        "Flavors": list(pids),
        "OrderQCD": 0,
        "FlavorScheme": "variable",
        "NumFlavors": 3,
        "ErrorType": "replicas",
        "XMin": float(x[0]),
        "XMax": float(x[-1]),
        "QMin": 1.0,
        "QMax": 2.0,
        "AlphaS_MZ": 0.118,
        "AlphaS_Type": "ipol",
        "AlphaS_Qs": [1.0, 2.0],
        "AlphaS_Vals": [0.35, 0.35],
    }
    write_info(out / f"{out.name}.info", info)
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m ekodask.pdfs.toy DIR [--store STORE]``: write the toy set as LHAPDF 6.

    Knots: the x-grid of STORE if given, else of the default operator card. Exit 2 when DIR
    already exists or STORE cannot be opened (one line).
    """
    import argparse
    import sys

    from ..errors import EkodaskError

    parser = argparse.ArgumentParser(
        prog="python -m ekodask.pdfs.toy",
        description="Write the Les Houches toy PDFs (hep-ph/0204316) as a one-member LHAPDF 6 "
        "set, e.g. as input of `ekodask evolve-pdf`.",
    )
    parser.add_argument("output", help="folder of the new set (its name is the set's name)")
    parser.add_argument("--store", help="take the x knots from this store (default: conf card)")
    args = parser.parse_args(argv)
    try:
        if args.store:
            from ..store import open as open_store

            xgrid = open_store(args.store).xgrid
        else:
            from ..cards import default_operator

            xgrid = default_operator().xgrid
        if Path(args.output).exists():
            raise FileExistsError(f"{args.output} exists; choose a new folder")
        out = write_toy_set(args.output, np.asarray(xgrid))
    except (EkodaskError, OSError) as exc:
        print(f"ekodask: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote the LHA toy set {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
