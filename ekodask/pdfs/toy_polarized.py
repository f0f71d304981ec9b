"""The polarised Les Houches toy PDFs (hep-ph/0511119, Sec. 4) and their reference tables.

x Delta u_v = 1.3 x^0.7 (1-x)^3 (1+3x), x Delta d_v = -0.5 x^0.7 (1-x)^4 (1+4x),
x Delta g = 1.5 x^0.5 (1-x)^5, x Delta ubar = x Delta dbar = -0.05 x^0.3 (1-x)^7,
x Delta s = x Delta sbar = 0.5 x Delta dbar, no heavy quarks, at mu0^2 = 2 GeV^2 (the input of
the tables in ``ekodask/data/lha_polarized.yaml``; tests/pdfs/test_lha_polarized_data.py checks
the initial-scale table against it).
"""

from importlib import resources

import numpy as np
import yaml
from numpy.typing import NDArray

from ..pids import PIDS

__all__ = ["polarized_lha_tables", "polarized_toy_pdfs", "polarized_toy_xf"]

_IDX = {pid: i for i, pid in enumerate(PIDS)}


def polarized_toy_xf(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """x times the polarised toy PDFs at mu0^2 = 2 GeV^2; shape (14, len(x)) in ``PIDS`` order."""
    x = np.asarray(x, dtype=float)
    xuv = 1.3 * x**0.7 * (1.0 - x) ** 3 * (1.0 + 3.0 * x)
    xdv = -0.5 * x**0.7 * (1.0 - x) ** 4 * (1.0 + 4.0 * x)
    xg = 1.5 * x**0.5 * (1.0 - x) ** 5
    xsea = -0.05 * x**0.3 * (1.0 - x) ** 7
    out = np.zeros((len(PIDS), x.size))
    out[_IDX[21]] = xg
    out[_IDX[2]] = xuv + xsea
    out[_IDX[-2]] = xsea
    out[_IDX[1]] = xdv + xsea
    out[_IDX[-1]] = xsea
    out[_IDX[3]] = out[_IDX[-3]] = 0.5 * xsea
    return out


def polarized_toy_pdfs(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """The polarised toy PDFs Delta f(x) themselves (not x Delta f); shape (14, len(x))."""
    x = np.asarray(x, dtype=float)
    return polarized_toy_xf(x) / x


def polarized_lha_tables() -> dict:
    """``ekodask/data/lha_polarized.yaml``: ``{"x": [...], "tables": {name: {...}}}``."""
    text = resources.files("ekodask").joinpath("data/lha_polarized.yaml").read_text()
    return yaml.safe_load(text)
