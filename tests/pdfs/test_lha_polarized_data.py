"""The polarised LHA reference tables (ekodask/data/lha_polarized.yaml, hep-ph/0511119 Tables
16-18): structure, and the initial-scale table against the polarised toy PDFs it states."""

from importlib import resources

import numpy as np
import yaml

COLUMNS = ("u_v", "d_v", "L_m", "L_p", "s_p", "c_p", "b_p", "g")


def _tables() -> dict:
    text = resources.files("ekodask").joinpath("data/lha_polarized.yaml").read_text()
    return yaml.safe_load(text)


def test_structure():
    data = _tables()
    assert len(data["x"]) == 11
    assert set(data["tables"]) == {
        "LO_initial", "LO_FFNS", "LO_VFNS", "NLO_FFNS", "NLO_FFNS_xir2_2", "NLO_FFNS_xir2_0.5",
        "NLO_VFNS", "NLO_VFNS_xir2_2", "NLO_VFNS_xir2_0.5",
    }  # fmt: skip
    for table in data["tables"].values():
        assert table["mu2"] in (2.0, 1e4)
        assert table["scheme"] in (None, 4, "VFNS")
        assert table["xir2"] in (0.5, 1.0, 2.0)
        cols = set(table["xf"])
        assert cols >= set(COLUMNS) - {"b_p"}
        assert all(len(v) == 11 for v in table["xf"].values())


def test_initial_table_is_the_polarised_toy():
    # the toy of hep-ph/0511119 (as stated in the file header), printed to 5 digits
    data = _tables()
    x = np.array(data["x"])
    xf = {k: np.array(v) for k, v in data["tables"]["LO_initial"]["xf"].items()}
    xuv = 1.3 * x**0.7 * (1 - x) ** 3 * (1 + 3 * x)
    xdv = -0.5 * x**0.7 * (1 - x) ** 4 * (1 + 4 * x)
    xg = 1.5 * x**0.5 * (1 - x) ** 5
    xdbar = -0.05 * x**0.3 * (1 - x) ** 7  # = x Delta ubar
    xs = 0.5 * xdbar
    for key, want in (("u_v", xuv), ("d_v", xdv), ("g", xg), ("L_p", 4 * xdbar), ("s_p", 2 * xs)):
        np.testing.assert_allclose(xf[key], want, rtol=5e-5)
    # the unexplained L_m column (see the file header)
    np.testing.assert_allclose(xf["L_m"], 0.2 * xdbar, rtol=5e-5)
    np.testing.assert_allclose(xf["c_p"], 0.0, atol=0)
