"""LHA FFNS benchmark: toy PDFs from mu0^2 = 2 to mu^2 = 1e4 GeV^2 with nf = 4.

References: hep-ph/0204316 Tables 2-3 (LO, NLO) and hep-ph/0511119 Table 14 (NNLO), via
ekodask.pdfs.toy.lha_tables(); alpha_s(2 GeV^2) = 0.35, exact running at the evolution order
(ekodask.physics.coupling), iterate-exact evolution, mu_R = mu_F.
Tolerance (the task's): relative 1e-3 where |x f| > 1e-5, absolute 1e-8 elsewhere.
"""

from pathlib import Path

import numpy as np
import pytest
import yaml

from ekodask.evolution import evolution_operator
from ekodask.interpolation import lha_xgrid
from ekodask.pdfs.toy import lha_combinations, lha_tables, toy_pdfs
from ekodask.physics.coupling import Couplings

TABLES = lha_tables()
LHA_X = np.array(TABLES["x"])
DEFAULT_CARD = Path(__file__).parents[1] / "conf" / "operator.yaml"


def _evolved_table(order, xgrid, **kw):
    couplings = Couplings(
        order=order,
        alphas_ref=0.35,
        mu2_ref=2.0,
        masses=(np.sqrt(2.0), 4.5, 175.0),
        scheme="FFNS",
        nf_ffns=4,
    )
    op = evolution_operator(
        xgrid=xgrid,
        degree=4,
        order=order,
        nf=4,
        a0=couplings.a_s(2.0),
        a1=couplings.a_s(1e4),
        **kw,
    )
    xf = np.einsum("iajb,jb->ia", op, toy_pdfs(xgrid)) * xgrid
    idx = [int(np.argmin(np.abs(xgrid - x))) for x in LHA_X]
    assert np.allclose(xgrid[idx], LHA_X, rtol=1e-10)  # the table points are grid points
    return {k: v[idx] for k, v in lha_combinations(xf).items()}


def _compare(order, xgrid, rtol_at_09=1e-3):
    name = ["LO_FFNS", "NLO_FFNS", "NNLO_FFNS"][order - 1]
    got = _evolved_table(order, xgrid)
    worst = (0.0, "")
    for key, ref in TABLES["tables"][name]["xf"].items():
        ref = np.asarray(ref, dtype=float)
        big = np.abs(ref) > 1e-5
        rel = np.abs(got[key][big] / ref[big] - 1.0)
        if rel.size and rel.max() > worst[0]:
            worst = (float(rel.max()), f"{key} at x = {LHA_X[big][np.argmax(rel)]:g}")
        for sel, rtol in ((big & (LHA_X != 0.9), 1e-3), (big & (LHA_X == 0.9), rtol_at_09)):
            np.testing.assert_allclose(got[key][sel], ref[sel], rtol=rtol, atol=0, err_msg=key)
        np.testing.assert_allclose(got[key][~big], ref[~big], rtol=0, atol=1e-8, err_msg=key)
    print(f"{name} on {xgrid.size} points: worst relative difference {worst[0]:.2e} ({worst[1]})")
    return worst[0]


@pytest.mark.parametrize("order", [1, 2, 3])
def test_lha_ffns_tables(order):
    # 60-point grid: the default one with the steps above x = 0.9 refined to 0.02;
    # measured worst 1.8e-4 (LO), 2.0e-4 (NLO, NNLO), from the interpolation at small x
    # (5 points per decade; with 20 per decade NNLO agrees to 5e-5 but d_v(0.9) at 1.9e-4)
    _compare(order, lha_xgrid())


def test_lha_ffns_default_card_grid():
    # the default card's grid is lha_xgrid() written with 12 digits
    xgrid = np.array(yaml.safe_load(DEFAULT_CARD.read_text())["xgrid"], dtype=float)
    np.testing.assert_allclose(xgrid, lha_xgrid(), rtol=1e-10)
    _compare(3, xgrid)
