"""The public API (ekodask.__all__): alphas, run/open round trip, the evolve-pdf command."""

import numpy as np
import pytest

import ekodask
from ekodask.cli import main


@pytest.mark.parametrize(
    ("theory", "expected"),
    [
        # hep-ph/0511119, NNLO tables: alpha_s(mu_r^2 = 1e4 GeV^2), mu_r = mu_f
        ({"scheme": "FFNS", "nf_ffns": 4}, 0.110141),
        ({}, 0.115605),
        # hep-ph/0204316 LO FFNS, with the erratum value 0.117574 (eko's Benchmarks docs)
        ({"order": 1, "scheme": "FFNS", "nf_ffns": 4}, 0.117574),
    ],
)
def test_alphas_lha(theory, expected):
    np.testing.assert_allclose(ekodask.alphas(theory, 1e4), expected, rtol=0, atol=5e-7)


def test_alphas_on_threshold_picks_nf():
    # LO running is continuous at a threshold with ratio 1; NNLO jumps (pole-mass decoupling)
    mb2 = 4.5**2
    lo = {"order": 1}
    assert ekodask.alphas(lo, mb2, 4) == pytest.approx(ekodask.alphas(lo, mb2, 5), rel=1e-12)
    assert ekodask.alphas({}, mb2, 4) != ekodask.alphas({}, mb2, 5)


def test_run_open_contract(tmp_path):
    xgrid = [1e-4, 1e-3, 0.01, 0.1, 0.3, 0.6, 0.9, 1.0]
    op = {"xgrid": xgrid, "interpolation_degree": 3, "mu2grid": [10.0, [20.25, 4], [20.25, 5]]}
    eko = ekodask.run({"order": 1}, op, str(tmp_path / "e.zarr"), scheduler="synchronous")
    eko = ekodask.open(str(tmp_path / "e.zarr"))
    np.testing.assert_array_equal(eko.xgrid, xgrid)
    assert tuple(eko.pids) == (22, -6, -5, -4, -3, -2, -1, 21, 1, 2, 3, 4, 5, 6)
    assert eko.evolution_points == ((10.0, 4), (20.25, 4), (20.25, 5))
    assert eko[10.0].shape == (14, 8, 14, 8)
    with pytest.raises(KeyError):
        eko[20.25]  # two nf on the threshold: the key must say which
    # at LO with ratio 1 the matching is the identity on the light flavours and the gluon
    light = [7, 8, 9, 10]
    a, b = eko[(20.25, 4)], eko[(20.25, 5)]
    np.testing.assert_allclose(a[light][:, :, light], b[light][:, :, light], rtol=0, atol=1e-12)
    assert len(list(eko.items())) == 3


def test_evolve_pdf_command(tmp_path, capsys):
    from ekodask.pdfs.lhapdf import open_set
    from ekodask.pdfs.toy import write_toy_set

    xgrid = [1e-4, 1e-3, 0.01, 0.1, 0.3, 0.6, 0.9, 1.0]
    op = {"xgrid": xgrid, "interpolation_degree": 3, "mu2grid": [10.0, 15.0]}
    ekodask.run({"order": 1}, op, str(tmp_path / "e.zarr"), scheduler="synchronous")
    toy = write_toy_set(tmp_path / "Toy", np.array(xgrid))
    assert main(["evolve-pdf", str(tmp_path / "e.zarr"), str(toy), "-o", str(tmp_path / "Ev")]) == 0
    assert open_set(tmp_path / "Ev").num_members == 1
    # bad input: a missing set is one line, exit 2, and the output is not created
    store, missing, out = (str(tmp_path / n) for n in ("e.zarr", "No", "x"))
    assert main(["evolve-pdf", store, missing, "-o", out]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


def test_public_surface_is_pinned():
    # the façade's names; a change here is a change of the public API
    assert sorted(ekodask.__all__) == [
        "CardError",
        "EkodaskError",
        "IncompatibleStoresError",
        "OperatorCard",
        "PhysicsError",
        "StoreError",
        "TheoryCard",
        "__version__",
        "alphas",
        "evolve_pdf",
        "load_operator",
        "load_theory",
        "open",
        "run",
    ]
    from ekodask._version import __version__

    assert ekodask.__version__ == __version__
