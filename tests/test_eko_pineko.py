"""pineko's EKO step with ekodask (ekodask.eko_compat.pineko): NNPDF theory cards, one store per
group of operator cards, one tar per card. No eko needed; tests/benchmarks/test_eko_io.py
compares the NNPDF translation with eko's own Legacy.new_theory."""

import math

import numpy as np
import pytest
import yaml

import ekodask
from ekodask.cli import main
from ekodask.eko_compat import export, open_eko
from ekodask.eko_compat.pineko import is_nnpdf_theory, nnpdf_theory_to_eko
from ekodask.eko_compat.runcards import from_eko, translate_if_eko
from ekodask.errors import CardError, StoreError

NNPDF = {
    "PTO": 0,
    "QED": 0,
    "XIF": 1.0,
    "Q0": 1.65,
    "nf0": 4,
    "mc": 1.51,
    "mb": 4.92,
    "mt": 172.5,
    "kcThr": 1.0,
    "kbThr": 1.0,
    "ktThr": 1.0,
    "HQ": "POLE",
    "alphas": 0.118,
    "Qref": 91.2,
    "nfref": 5,
    "alphaqed": 0.007496252,
    "MaxNfPdf": 6,
}
XGRID = [1e-4, 1e-3, 0.01, 0.1, 0.5, 1.0]


def _opcard(path, q2s):
    """An operator card in the form pineko writes (linear mu, nf from the thresholds)."""
    card = {
        "init": [1.65, 4],
        "mugrid": [[math.sqrt(q2), 4 if q2 < 4.92**2 else 5] for q2 in q2s],
        "xgrid": XGRID,
        "configs": {
            "evolution_method": "iterate-exact",
            "ev_op_max_order": [10, 0],
            "ev_op_iterations": 10,
            "scvar_method": None,
            "inversion_method": "exact",
            "interpolation_polynomial_degree": 2,
            "interpolation_is_log": True,
            "polarized": False,
            "time_like": False,
            "n_integration_cores": 1,
        },
        "debug": {"skip_singlet": False, "skip_non_singlet": False},
        "eko_version": "0.15.7",
    }
    path.write_text(yaml.safe_dump(card))
    return path


def test_nnpdf_theory_card_translates():
    assert is_nnpdf_theory(NNPDF) and not is_nnpdf_theory({"order": [1, 0]})
    theory = nnpdf_theory_to_eko(NNPDF)
    assert theory["order"] == [1, 0] and theory["matching_order"] == [0, 0]
    assert theory["couplings"]["ref"] == [91.2, 5]
    assert [m[0] for m in theory["heavy"]["masses"]] == [1.51, 4.92, 172.5]
    assert nnpdf_theory_to_eko({**NNPDF, "PTO": 2, "PTOEKO": 1})["order"] == [2, 0]
    with pytest.raises(CardError, match="'kcThr'"):
        nnpdf_theory_to_eko({k: v for k, v in NNPDF.items() if k != "kcThr"})


def test_nnpdf_theory_with_an_eko_opcard_is_recognised(tmp_path):
    op = _opcard(tmp_path / "o.yaml", [10.0, 100.0])
    t, o = translate_if_eko(NNPDF, op)
    assert (t, o) == from_eko(nnpdf_theory_to_eko(NNPDF), yaml.safe_load(op.read_text()))
    assert t["order"] == 1 and o["mu2grid"] == [10.0, 100.0]


def test_all_opcards_of_a_theory_in_one_store(tmp_path):
    a = _opcard(tmp_path / "A.yaml", [10.0, 100.0])
    b = _opcard(tmp_path / "B.yaml", [100.0, 1000.0])
    (tmp_path / "theory.yaml").write_text(yaml.safe_dump(NNPDF))
    args = ["ekos", str(tmp_path / "theory.yaml"), str(a), str(b), "-o", str(tmp_path / "ekos")]
    assert main([*args, "-q", "--scheduler", "synchronous"]) == 0
    stores = sorted((tmp_path / "ekos").glob("*.zarr"))
    assert len(stores) == 1  # one group: the cards differ only in mugrid
    store = ekodask.open(stores[0])
    assert sorted(store.evolution_points) == [(10.0, 4), (100.0, 5), (1000.0, 5)]
    assert len(store.thresholds) == 1  # the bottom threshold, computed once for both
    with open_eko(tmp_path / "ekos" / "A.tar") as ta, open_eko(tmp_path / "ekos" / "B.tar") as tb:
        assert ta.evolution_points == ((10.0, 4), (100.0, 5))
        assert tb.evolution_points == ((100.0, 5), (1000.0, 5))
        np.testing.assert_array_equal(ta[(100.0, 5)], tb[(100.0, 5)])
        np.testing.assert_array_equal(ta[(10.0, 4)], store[(10.0, 4)])
        assert ta.theory == store.theory


def test_export_of_chosen_points(tmp_path):
    from tests.test_eko_compat import _store

    store = _store(tmp_path / "s.zarr")
    out = export(store, tmp_path / "two.tar", points=[(100.0, 5), (2.0, 4)])
    with open_eko(out) as eko:
        assert eko.evolution_points == ((2.0, 4), (100.0, 5))
    with pytest.raises(StoreError, match=r"no final operator at \(100.0, 4\)"):
        export(store, tmp_path / "bad.tar", points=[(100.0, 4)])
    assert not (tmp_path / "bad.tar").exists()
