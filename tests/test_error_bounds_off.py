"""The operator card's ``error_bounds: false``: the same operators, stored without their bounds.

Reference: the default run (bounds on) of the same cards, itself checked against the LHA tables
(test_lha_vfns); the operators must agree to 1e-14 of the largest entry (issue 15's tolerance
for a cheaper route to the same numbers).
"""

import subprocess
import sys

import numpy as np
import pytest
import yaml

import ekodask
from ekodask.cards import compat_dict, load_cards, load_operator
from ekodask.eko_compat import EkoArchive, export
from ekodask.eko_compat.runcards import from_eko, to_eko
from ekodask.errors import CardError, IncompatibleStoresError
from ekodask.store import merge

XGRID = [1e-5, 1e-4, 1e-3, 0.01, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0]
THEORY = {"order": 3}
OPERATOR = {"xgrid": XGRID, "interpolation_degree": 3, "mu2grid": [10.0, 100.0, 1e4]}
BARE = {**OPERATOR, "error_bounds": False}


@pytest.fixture(scope="module")
def bounded(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("bounded") / "e.zarr")
    ekodask.run(THEORY, OPERATOR, path, scheduler="synchronous")
    return path


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("bare") / "e.zarr")
    ekodask.run(THEORY, BARE, path, scheduler="synchronous")
    return path


def test_card_key_default_validation_and_compat():
    assert load_operator().error_bounds is True
    assert load_operator({"error_bounds": False}).error_bounds is False
    for bad in ("no", 0, None):
        with pytest.raises(CardError, match="key 'error_bounds'"):
            load_operator({"error_bounds": bad})
    # a card stored before the key (no such entry) reads as bounds on
    stored = load_operator().to_dict()
    del stored["error_bounds"]
    assert load_operator(stored, defaults=False).error_bounds is True
    # compat: absent where true (stores written before the key stay mergeable), named where false
    t, o = load_cards()
    assert "error_bounds" not in compat_dict(t, o)["operator"]
    t, o = load_cards(None, {"error_bounds": False})
    assert compat_dict(t, o)["operator"]["error_bounds"] is False


def test_eko_cards_leave_the_key_out_and_read_back_as_default():
    eko_t, eko_o = to_eko(THEORY, {**BARE, "method": "iterate-exact"})
    assert "error_bounds" not in yaml.safe_dump(eko_o)
    _, back = from_eko(eko_t, eko_o)
    assert back["error_bounds"] is True


def test_same_operators_without_any_bound(bounded, bare):
    ref, eko = ekodask.open(bounded), ekodask.open(bare)
    assert eko.operator["error_bounds"] is False
    assert set(eko.evolution_points) == set(ref.evolution_points)
    for p in ref.evolution_points:
        want = ref[p]
        np.testing.assert_allclose(eko[p], want, rtol=0, atol=1e-14 * np.abs(want).max())
        assert ref.error(p) is not None and eko.error(p) is None
    assert len(eko.thresholds) == len(ref.thresholds) >= 1
    for key in eko.thresholds:
        assert eko.thresholds.error(key) is None


def test_kept_partials_and_the_store_tools(tmp_path, bare):
    path = str(tmp_path / "kept.zarr")
    eko = ekodask.run(THEORY, BARE, path, scheduler="synchronous", keep_partials=True)
    assert len(eko.partials) == 3
    for p in eko.partials:
        assert eko.partials.error(p) is None
    for p, op in ekodask.open(bare).items():  # the PDG-basis products of the stored partials
        np.testing.assert_allclose(eko[p], op, rtol=0, atol=1e-14 * np.abs(op).max())
    out = subprocess.run(
        [sys.executable, "-m", "ekodask.cli", "verify", path], capture_output=True, text=True
    )
    assert out.returncode == 0 and "0 damaged, 0 missing" in out.stdout, out.stderr
    tar = export(bare, str(tmp_path / "bare.tar"))
    with EkoArchive(tar) as archive:
        assert len(archive.evolution_points) == 3
        for p in archive.evolution_points:
            assert np.isnan(archive.error(p)).all()  # eko's format has one: NaN, no estimate


def test_merge_refuses_bounded_with_bare(tmp_path, bounded):
    path = str(tmp_path / "bare20.zarr")
    ekodask.run(THEORY, {**BARE, "mu2grid": [20.0]}, path, scheduler="synchronous")
    with pytest.raises(IncompatibleStoresError, match="error_bounds"):
        merge([bounded, path], str(tmp_path / "out.zarr"))
    proc = subprocess.run(
        [sys.executable, "-m", "ekodask.cli", "merge", bounded, path, "-o", str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "error_bounds" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def _ekodask(*args):
    return subprocess.run(
        [sys.executable, "-m", "ekodask.cli", *args], capture_output=True, text=True, check=False
    )


def test_cli_flag_for_eko_cards_run_ekos_and_separate_processes(tmp_path, bare):
    # eko's cards cannot say error_bounds: --no-error-bounds does, in every computing command
    eko_t, eko_o = to_eko(THEORY, {**OPERATOR, "method": "iterate-exact"})
    theory, opcard = tmp_path / "theory.yaml", tmp_path / "op.yaml"
    theory.write_text(yaml.safe_dump(eko_t))
    opcard.write_text(yaml.safe_dump(eko_o))
    proc = _ekodask("run", str(theory), str(opcard), "-o", str(tmp_path / "a.tar"), "-q",
                    "--no-error-bounds")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert ekodask.open(str(tmp_path / "a.zarr")).operator["error_bounds"] is False
    with EkoArchive(str(tmp_path / "a.tar")) as archive:
        assert all(np.isnan(archive.error(p)).all() for p in archive.evolution_points)
    out = tmp_path / "ekos"
    proc = _ekodask("ekos", str(theory), str(opcard), "-o", str(out), "-q", "--no-error-bounds")
    assert proc.returncode == 0, proc.stderr
    with EkoArchive(str(out / "op.tar")) as archive:
        assert len(archive.evolution_points) == 3
        assert all(np.isnan(archive.error(p)).all() for p in archive.evolution_points)
    # thresholds and a partial in separate processes, merged and combined: no bounds anywhere,
    # the same final as the bare run
    cards = tmp_path / "ours.yaml"
    cards.write_text(yaml.safe_dump(OPERATOR))
    thr, part, both = (str(tmp_path / n) for n in ("thr.zarr", "p.zarr", "both.zarr"))
    th_card = tmp_path / "th.yaml"
    th_card.write_text(yaml.safe_dump(THEORY))
    for args in (
        ("thresholds", str(th_card), str(cards), "-o", thr, "-q", "--no-error-bounds"),
        ("partial", str(th_card), str(cards), "--mu2", "100.0", "-o", part, "-q",
         "--no-error-bounds"),
        ("merge", thr, part, "-o", both),
        ("combine", both, "-q"),
    ):  # fmt: skip
        proc = _ekodask(*args)
        assert proc.returncode == 0, proc.stderr
    eko, ref = ekodask.open(both), ekodask.open(bare)
    assert eko.error((100.0, 5)) is None
    want = ref[(100.0, 5)]
    np.testing.assert_allclose(eko[(100.0, 5)], want, rtol=0, atol=1e-14 * np.abs(want).max())
    # without the flag the partial's store does not merge with those thresholds
    proc = _ekodask("partial", str(th_card), str(cards), "--mu2", "10.0", "-o",
                    str(tmp_path / "q.zarr"), "-q")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    proc = _ekodask("merge", thr, str(tmp_path / "q.zarr"), "-o", str(tmp_path / "no.zarr"))
    assert proc.returncode == 2 and "error_bounds" in proc.stderr
