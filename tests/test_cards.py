"""Cards: defaults, round trips, content hash, and every validation rule of the foundation issue."""

import json
import math

import pytest
import yaml

from ekodask.cards import (
    OperatorCard,
    TheoryCard,
    compat_dict,
    load_cards,
    load_operator,
    load_theory,
)
from ekodask.errors import CardError


def test_defaults_are_lha_nnlo_vfns():
    # settings of hep-ph/0511119 (ekodask/data/lha_central.yaml header)
    t, o = load_cards()
    assert t.order == 3 and t.scheme == "VFNS" and t.nf0 == 3
    assert t.alphas == 0.35
    assert math.isclose(t.alphas_scale**2, 2.0, rel_tol=1e-15)
    assert math.isclose(o.mu0**2, 2.0, rel_tol=1e-15)
    assert t.masses[1:] == (4.5, 175.0) and math.isclose(t.masses[0] ** 2, 2.0, rel_tol=1e-15)
    # a realistic job: 20-30 scales above mu0^2 up to the tables' 1e4, with the two scales
    # per nf that an LHAPDF subgrid needs (evolve-pdf), nf chosen by the thresholds
    scales = [mu2 for mu2, nf in o.mu2grid]
    assert all(nf is None for _, nf in o.mu2grid) and 20 <= len(scales) <= 30
    assert scales == sorted(scales) and scales[0] > 2.0 and scales[-1] == 1e4
    assert sum(s < 4.5**2 for s in scales) >= 2 and sum(s > 4.5**2 for s in scales) >= 2
    assert o.xgrid[-1] == 1.0 and o.xgrid[0] == 1e-7
    for x in (1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 0.3, 0.5, 0.7, 0.9):
        assert min(abs(g - x) / x for g in o.xgrid) < 1e-12


def test_round_trip_yaml_and_json_exact():
    t, o = load_cards()
    for card, load in ((t, load_theory), (o, load_operator)):
        via_json = load(json.loads(json.dumps(card.to_dict())), defaults=False)
        via_yaml = load(yaml.safe_dump(card.to_dict()), defaults=False)
        assert via_json == card and via_yaml == card
        assert via_json.hash == card.hash


def test_hash_is_stable_and_content_based():
    t = load_theory()
    assert t.hash == load_theory().hash
    assert load_theory({"alphas": 0.3}).hash != t.hash
    assert len(t.hash) == 64


def test_load_from_path_and_text(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text("order: 2\nscheme: FFNS\n")
    assert load_theory(p).order == 2
    assert load_theory(str(p)).scheme == "FFNS"
    o = load_operator("mu2grid: [1e4, [20.25, 4]]\n")
    assert o.mu2grid == ((1e4, None), (20.25, 4))


def test_compat_ignores_mu2grid_only():
    t, o = load_cards()
    o2 = load_operator({"mu2grid": [100.0]})
    assert compat_dict(t, o) == compat_dict(t, o2)
    o3 = load_operator({"interpolation_degree": 3})
    assert compat_dict(t, o) != compat_dict(t, o3)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"bogus": 1}, "bogus"),
        ({"order": 0}, "order"),
        ({"order": 5}, "order"),
        ({"order": "three"}, "order"),
        ({"order": True}, "order"),
        ({"order": 2.0}, "order"),
        ({"alphas": 0.0}, "alphas"),
        ({"alphas": 1.0}, "alphas"),
        ({"alphas": -0.1}, "alphas"),
        ({"alphas": "big"}, "alphas"),
        ({"alphas": None}, "alphas"),
        ({"alphas": float("nan")}, "alphas"),
        ({"alphas_scale": 0.0}, "alphas_scale"),
        ({"masses": [1.5, 4.5]}, "masses"),
        ({"masses": [4.5, 1.5, 175.0]}, "masses"),
        ({"masses": [0.0, 4.5, 175.0]}, "masses.0"),
        ({"masses": [-1.0, 4.5, 175.0]}, "masses.0"),
        ({"masses": "heavy"}, "masses"),
        ({"matching_ratios": [1.0, 0.0, 1.0]}, "matching_ratios.1"),
        ({"matching_ratios": [10.0, 1.0, 1.0]}, "matching_ratios"),
        ({"scheme": "ZM"}, "scheme"),
        ({"nf_ffns": 7}, "nf_ffns"),
        ({"nf0": 2}, "nf0"),
        ({"xir": 0.0}, "xir"),
        ({"xif": -1.0}, "xif"),
        ({"xif": 0.0}, "xif"),
        ({"intrinsic": [3]}, "intrinsic.0"),
        ({"intrinsic": [4, 4]}, "intrinsic"),
    ],
)
def test_bad_theory_names_key(data, key):
    with pytest.raises(CardError) as err:
        load_theory(data)
    msg = str(err.value)
    assert msg.startswith("theory card") and f"'{key}'" in msg and "\n" not in msg


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"bogus": 1}, "bogus"),
        ({"mu0": 0.0}, "mu0"),
        ({"mu2grid": []}, "mu2grid"),
        ({"mu2grid": [-100.0]}, "mu2grid.0"),
        ({"mu2grid": [100.0, 0.0]}, "mu2grid.1"),
        ({"mu2grid": [[20.25, 7]]}, "mu2grid.0.1"),
        ({"mu2grid": [[20.25, 4, 1]]}, "mu2grid.0"),
        ({"mu2grid": [100.0, 100.0]}, "mu2grid.1"),
        ({"mu2grid": "high"}, "mu2grid"),
        ({"xgrid": [0.1, 0.01, 1.0]}, "xgrid.1"),
        ({"xgrid": [0.01, 0.01, 1.0]}, "xgrid.1"),
        ({"xgrid": [0.0, 0.5, 1.0]}, "xgrid.0"),
        ({"xgrid": [0.1, 0.5, 1.5]}, "xgrid.2"),
        ({"xgrid": [0.1, 0.5, 0.9]}, "xgrid"),
        ({"xgrid": [1.0]}, "xgrid"),
        ({"xgrid": [0.1, 0.5, 1.0], "interpolation_degree": 3}, "interpolation_degree"),
        ({"interpolation_degree": 0}, "interpolation_degree"),
        ({"method": "magic"}, "method"),
        ({"ev_op_iterations": 0}, "ev_op_iterations"),
    ],
)
def test_bad_operator_names_key(data, key):
    with pytest.raises(CardError) as err:
        load_operator(data)
    msg = str(err.value)
    assert msg.startswith("operator card") and f"'{key}'" in msg and "\n" not in msg


def test_missing_key_without_defaults():
    d = load_theory().to_dict()
    del d["alphas"]
    with pytest.raises(CardError, match="required key 'alphas' is missing"):
        load_theory(d, defaults=False)
    o = load_operator().to_dict()
    del o["xgrid"]
    with pytest.raises(CardError, match="required key 'xgrid' is missing"):
        load_operator(o, defaults=False)


def test_nf0_consistent_with_mu0_and_thresholds():
    # mu0 = m_c: nf0 may be 3 or 4 (on the threshold); 5 is wrong
    load_cards({"nf0": 4})
    with pytest.raises(CardError, match="'nf0'"):
        load_cards({"nf0": 5})
    # mu0 = 10 GeV sits between m_b and m_t: only nf0 = 5
    load_cards({"nf0": 5}, {"mu0": 10.0})
    with pytest.raises(CardError, match="'nf0'"):
        load_cards({"nf0": 4}, {"mu0": 10.0})
    # FFNS ignores nf0 but an explicit nf must be nf_ffns
    load_cards({"scheme": "FFNS", "nf0": 6}, {"mu2grid": [[100.0, 4]]})
    with pytest.raises(CardError, match=r"'mu2grid\.0\.1'"):
        load_cards({"scheme": "FFNS"}, {"mu2grid": [[100.0, 5]]})


def test_file_errors_name_the_file(tmp_path):
    with pytest.raises(CardError, match="not found"):
        load_theory(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("order: [1,\n")
    with pytest.raises(CardError, match=r"bad\.yaml.*not valid YAML"):
        load_theory(bad)
    bad.write_text("- 1\n- 2\n")
    with pytest.raises(CardError, match=r"bad\.yaml.*mapping"):
        load_theory(bad)
    bad.write_text("alphas: 2.0\n")
    with pytest.raises(CardError, match=r"bad\.yaml.*'alphas'"):
        load_theory(bad)


def test_cards_are_frozen():
    t = load_theory()
    with pytest.raises(AttributeError):
        t.order = 2  # type: ignore[misc]
    assert isinstance(t, TheoryCard) and isinstance(load_operator(), OperatorCard)
