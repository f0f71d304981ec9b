"""The toy LHA set, written as an LHAPDF set, evolved through a store built from conf/.

Reference: the NNLO VFNS table of hep-ph/0511119 (ekodask/data/lha_central.yaml), with the
criterion of the physics issues: relative 1e-3 where |x f| > 1e-5, absolute 1e-8 elsewhere.
"""

import numpy as np

import ekodask
from ekodask.pdfs.lhapdf import open_set, xfx_q2
from ekodask.pdfs.toy import PIDS, lha_combinations, lha_tables, write_toy_set


def test_toy_set_through_default_store_matches_nnlo_vfns(tmp_path):
    # the conf/ cards with their single scale: the stored bottom threshold operator is the
    # nf = 5 subgrid's second Q knot (an LHAPDF subgrid needs at least two)
    operator = {"mu2grid": [1e4]}
    eko = ekodask.run(None, operator, tmp_path / "eko.zarr", scheduler="synchronous")
    x = np.asarray(eko.xgrid)
    toy = write_toy_set(tmp_path / "LHAToy", x)
    out = ekodask.evolve_pdf(tmp_path / "eko.zarr", toy, tmp_path / "LHAToyEvolved")
    member = open_set(out).member(0)
    assert np.allclose([g.q[0] for g in member.subgrids], [4.5])  # Q = m_b
    ref = lha_tables()
    x_tab = np.asarray(ref["x"])
    values = xfx_q2(member, x_tab, 1e4)  # on the knots: exact values of the store's grid
    xf = np.zeros((len(PIDS), x_tab.size))
    for row, pid in enumerate(member.pids):
        xf[PIDS.index(pid)] = values[row]
    got = lha_combinations(xf)
    for name, table in ref["tables"]["NNLO_VFNS"]["xf"].items():
        table = np.asarray(table)
        big = np.abs(table) > 1e-5
        np.testing.assert_allclose(got[name][big], table[big], rtol=1e-3, atol=0, err_msg=name)
        np.testing.assert_allclose(got[name][~big], table[~big], rtol=0, atol=1e-8, err_msg=name)
