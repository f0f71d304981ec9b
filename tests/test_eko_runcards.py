"""eko 0.15 runcards to ekodask cards and back (ekodask.eko_compat.runcards); no eko needed.

eko's card keys are those of eko's src/eko/io/runcards.py (notes/eko_format.md sections
1.4-1.5); the pineko-style operator card is the form `pineko theory opcards` writes
(notes/eko_format.md section 2.1).
"""

import copy
import math
from dataclasses import fields

import numpy as np
import pytest
import yaml

import ekodask
from ekodask.cards import OperatorCard, TheoryCard, load_cards
from ekodask.cli import main
from ekodask.eko_compat.runcards import (
    _CONFIGS_KEYS,
    _COUPLINGS_KEYS,
    _DEBUG_KEYS,
    _HEAVY_KEYS,
    _OPERATOR_KEYS,
    _THEORY_KEYS,
    ALIASES,
    EKO_STAND_IN,
    ENTRIES,
    OUTPUT_ONLY,
    REFUSED,
    STRUCTURAL,
    eko_intrinsic,
    from_eko,
    is_eko_operator,
    is_eko_theory,
    mu2_from_mu,
    mu_from_mu2,
    to_eko,
    translate_if_eko,
)
from ekodask.errors import CardError
from ekodask.options import EVOLUTION_METHODS

EKO = {"method": "iterate-exact"}  # an operator card's method of eko's
XGRID = [1e-07, 1e-05, 0.001, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]

# canonical ekodask cards (ignored fields at their defaults)
CARDS = {
    "default theory, eko's method": ({}, {"method": "iterate-exact"}),
    "nlo vfns, alpha_s at mZ": (
        {
            "order": 2,
            "alphas": 0.118,
            "alphas_scale": 91.1876,
            "masses": [1.51, 4.92, 172.5],
            "nf0": 4,
        },
        {
            "mu0": 1.65,
            "mu2grid": [10.0, 8315.17839376, 1e5, [4.92**2, 4]],
            "xgrid": XGRID,
            "interpolation_degree": 3,
            "ev_op_iterations": 30,
            "method": "iterate-expanded",
        },
    ),
    "lo ffns nf=4, truncated": (
        {"order": 1, "scheme": "FFNS", "nf_ffns": 4, "nf0": 4},
        {"mu2grid": [2.0, 3.3, 123456.789], "method": "truncated", "xgrid": XGRID},
    ),
    "ffns nf=3": (
        {"scheme": "FFNS", "nf_ffns": 3},
        {"mu2grid": [100.0], "xgrid": XGRID, "method": "perturbative-exact"},
    ),
    "shifted thresholds, backward point": (
        {"matching_ratios": [2.0, 1.0, 1.0], "masses": [1.4, 4.75, 173.0], "nf0": 4},
        {"mu0": 3.0, "mu2grid": [1.0, [7.84, 3], 7.84, 400.0], "xgrid": XGRID, **EKO},
    ),
}


@pytest.mark.parametrize("name", CARDS)
def test_round_trip_is_the_identity(name):
    th, op = load_cards(*CARDS[name])
    eko_theory, eko_operator = to_eko(th, op)
    assert is_eko_theory(eko_theory) and is_eko_operator(eko_operator)
    # through YAML, as written into a tar or runcard file
    eko_theory = yaml.safe_load(yaml.safe_dump(eko_theory))
    eko_operator = yaml.safe_load(yaml.safe_dump(eko_operator))
    t, o = from_eko(eko_theory, eko_operator)
    assert (t, o) == (th.to_dict(), op.to_dict())
    assert load_cards(t, o) == (th, op)


def test_scales_are_linear_in_eko_and_mu2_survives():
    # every mu2 of at most 15 significant digits survives mu2 -> sqrt -> mu2
    for mu2 in (2.0, 10.0, 1e4, 8315.17839376, 2.7225, 3.3, 123456.789, 1.0e-2):
        assert mu2_from_mu(mu_from_mu2(mu2)) == mu2
    # the square of a linear eko scale is kept when it is already the shortest
    for mu in (100.0, 1.65, 91.1876, 3.0):
        assert abs(mu2_from_mu(mu) - mu * mu) <= 3 * math.ulp(mu * mu)
        assert math.sqrt(mu2_from_mu(mu)) == mu
    th, op = load_cards(*CARDS["nlo vfns, alpha_s at mZ"])
    _, eko_op = to_eko(th, op)
    assert eko_op["init"] == [1.65, 4]
    assert eko_op["mugrid"][1] == [math.sqrt(8315.17839376), 5]
    assert eko_op["mugrid"][3] == [4.92, 4]  # lower patch on the bottom threshold kept


def _pineko_cards():
    """A theory card as eko's Legacy(NNPDF theory 40000000-like).new_theory writes it and an
    operator card in the form of `pineko theory opcards` (init, mugrid with linear mu and nf,
    configs with every key, debug, eko_version)."""
    theory = {
        "order": [3, 0],
        "couplings": {
            "alphas": 0.118,
            "alphaem": 0.007496252,
            "ref": [91.2, 5],
            "em_running": True,
        },
        "heavy": {
            "masses": [[1.51, math.nan], [4.92, math.nan], [172.5, math.nan]],
            "masses_scheme": "POLE",
            "matching_ratios": [1.0, 1.0, 1.0],
        },
        "xif": 1.0,
        "n3lo_ad_variation": [0, 0, 0, 0, 0, 0, 0],
        "matching_order": [2, 0],
        "use_fhmruvv": True,
    }
    operator = {
        "init": [1.65, 4],
        "mugrid": [[math.sqrt(10.0), 4], [math.sqrt(100.0), 5], [math.sqrt(1000.0), 5]],
        "xgrid": XGRID,
        "configs": {
            "evolution_method": "iterate-exact",
            "ev_op_max_order": [10, 0],
            "ev_op_iterations": 30,
            "scvar_method": None,
            "inversion_method": "exact",
            "interpolation_polynomial_degree": 4,
            "interpolation_is_log": True,
            "polarized": False,
            "time_like": False,
            "n_integration_cores": 1,
        },
        "debug": {"skip_singlet": False, "skip_non_singlet": False},
        "eko_version": "0.15.7",
    }
    return theory, operator


def test_pineko_cards_translate():
    t, o = from_eko(*_pineko_cards())
    assert t["order"] == 3 and t["alphas"] == 0.118 and t["alphas_scale"] == 91.2
    assert t["masses"] == [1.51, 4.92, 172.5] and t["nf0"] == 4 and t["scheme"] == "VFNS"
    assert o["mu0"] == 1.65 and o["ev_op_iterations"] == 30 and o["interpolation_degree"] == 4
    assert o["mu2grid"] == [10.0, 100.0, 1000.0]  # the q2 pineko took the square roots of
    assert o["xgrid"] == XGRID and o["method"] == "iterate-exact"


def test_pineko_cards_are_recognised_in_files(tmp_path):
    theory, operator = _pineko_cards()
    (tmp_path / "t.yaml").write_text(yaml.safe_dump(theory))
    (tmp_path / "o.yaml").write_text(yaml.safe_dump(operator))
    t, o = translate_if_eko(tmp_path / "t.yaml", str(tmp_path / "o.yaml"))
    assert (t, o) == from_eko(theory, operator)
    # ekodask cards pass through untouched
    assert translate_if_eko(None, {"mu0": 2.0}) == (None, {"mu0": 2.0})
    # and mixing the two forms is refused
    with pytest.raises(CardError, match="eko runcard but the theory card is not"):
        translate_if_eko({}, tmp_path / "o.yaml")


def _edited(path, value, card="theory"):
    theory, operator = _pineko_cards()
    target = theory if card == "theory" else operator
    *parents, last = path.split(".")
    for p in parents:
        target = target[p]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return theory, operator


@pytest.mark.parametrize(
    ("card", "key", "value", "message"),
    [
        ("theory", "order", [3, 1], "'order'.*QED"),
        ("theory", "heavy.masses_scheme", "msbar", "'heavy.masses_scheme'.*pole"),
        ("theory", "heavy.matching_ratios", [1.0, 1.0, math.inf], r"matching_ratios.2'.*FFNS"),
        ("theory", "heavy.matching_ratios", [0.0, 1.0, math.inf], r"'heavy\.matching_ratios"),
        ("theory", "couplings.ref", [91.2, 4], r"'couplings.ref.1'.*nf = 5"),
        ("theory", "xif", -1.0, "'xif'"),
        ("theory", "n3lo_ad_variation", [3, 0, 0, 0, 0, 0, 0], "'n3lo_ad_variation'"),
        ("theory", "matching_order", [3, 0], "'matching_order'"),
        ("theory", "order", [5, 0], "'order.0'"),
        ("theory", "couplings.scale", 91.2, "unknown key 'couplings.scale'"),
        ("theory", "heavy.masses", KeyError, "required key 'heavy.masses'"),
        ("operator", "configs.polarized", True, "'configs.polarized'.*1506.04517"),
        ("operator", "configs.time_like", True, "'configs.time_like'.*time-like matching"),
        ("operator", "configs.interpolation_is_log", False, "'configs.interpolation_is_log'"),
        ("operator", "debug.skip_singlet", True, "'debug.skip_singlet'"),
        ("operator", "configs.extra", 1, "unknown key 'configs.extra'"),
        ("operator", "init", [1.65, 3], "'init.1'"),
        ("operator", "mugrid", [[10.0, 7]], "'mugrid'"),
        ("operator", "xgrid", [0.1, 0.5], "'xgrid'"),
    ],
)
def test_unsupported_settings_are_refused_naming_the_eko_key(card, key, value, message):
    with pytest.raises(CardError, match=message) as info:
        from_eko(*_edited(key, value, card))
    text = str(info.value)
    assert text.startswith(f"eko {card} card") and "\n" not in text


def test_irrelevant_settings_are_accepted():
    # ev_op_max_order only matters for perturbative-* methods, use_fhmruvv only at N3LO,
    # inversion_method only below nf0, scvar_method only with xif != 1; eko's optional keys
    # may be left out
    theory, operator = _edited("configs.ev_op_max_order", [6, 0], "operator")
    theory["use_fhmruvv"] = False
    operator["configs"]["inversion_method"] = None
    del (
        theory["matching_order"],
        operator["eko_version"],
        operator["configs"]["n_integration_cores"],
    )
    operator["debug"] = {}
    got, want = from_eko(theory, operator), from_eko(*_pineko_cards())
    # ev_op_max_order and inversion_method are ekodask card keys: carried over (null: default)
    assert (got[1].pop("ev_op_max_order"), got[1].pop("inversion_method")) == (6, "expanded")
    for key in ("ev_op_max_order", "inversion_method"):
        want[1].pop(key)
    assert got == want
    # but inversion_method null is refused where eko would match backwards without inverting
    operator["mugrid"].append([1.5, 3])
    with pytest.raises(CardError, match=r"'configs\.inversion_method'"):
        from_eko(theory, operator)


def test_ekodask_settings_eko_cannot_express_are_refused():
    with pytest.raises(CardError, match=r"key 'xir': got 2\.0, eko 0\.15 has no renorm") as info:
        to_eko({"xir": 2.0}, EKO)
    assert "\n" not in str(info.value)
    # eko 0.15 has no intrinsic switch (its operators carry intrinsic columns for every heavy
    # flavour inactive at mu0): cards cannot say it; an export takes exactly eko's set
    with pytest.raises(CardError, match=r"key 'intrinsic': got \[4\], eko 0.15 cards have no"):
        to_eko({"intrinsic": [4]}, EKO)
    with pytest.raises(CardError, match=r"takes exactly those, \[4, 5, 6\]"):
        to_eko({"intrinsic": [4]}, EKO, for_export=True)
    with pytest.raises(CardError, match="'intrinsic'"):
        to_eko({"intrinsic": [4, 5, 6]}, EKO)
    assert to_eko({"intrinsic": [4, 5, 6]}, EKO, for_export=True) == to_eko({}, EKO)
    assert eko_intrinsic(load_cards({"nf0": 4}, {"mu0": 3.0})[0].to_dict()) == [5, 6]
    with pytest.raises(CardError, match="none in FFNS"):
        to_eko({"intrinsic": [5], "scheme": "FFNS", "nf_ffns": 4}, EKO, for_export=True)
    # the export's stand-in does not lift these refusals
    with pytest.raises(CardError, match="'xir'"):
        to_eko({"xir": 2.0}, {}, for_export=True)


def test_ekodask_own_method_has_no_eko_name():
    with pytest.raises(CardError, match=r"key 'method': got 'iterate-magnus4'.*iterate-exact"):
        to_eko({}, {})
    # the export writes eko's stand-in (the same exact a_s running, which pineko reads)
    _, operator = to_eko({}, {}, for_export=True)
    assert operator["configs"]["evolution_method"] == EKO_STAND_IN["iterate-magnus4"]
    assert EKO_STAND_IN == {"iterate-magnus4": "iterate-exact"}
    # every other method is eko's own, under its own name
    for method in EVOLUTION_METHODS:
        if method not in EKO_STAND_IN:
            _, operator = to_eko({}, {"method": method})
            assert operator["configs"]["evolution_method"] == method


# every key of the ekodask cards: an ENTRIES row, a structural mapping, a documented refusal or
# a documented output-only key; a key added to the cards without one fails here
_CARD_KEYS = [("theory", f.name) for f in fields(TheoryCard)]
_CARD_KEYS += [("operator", f.name) for f in fields(OperatorCard)]
# a non-default value of each REFUSED key
_REFUSED_SAMPLES = {"xir": 2.0, "intrinsic": [4], "n3lo_ad_vintage": "2023"}


@pytest.mark.parametrize(("card", "key"), _CARD_KEYS, ids=lambda v: v)
def test_every_card_key_has_an_eko_translation_or_a_documented_refusal(card, key):
    if (card, key) in ALIASES:  # moved into its home card first: translated as that key
        card, key = ALIASES[card, key]
    rows = [e for e in ENTRIES if e.card == card and e.key == key]
    homes = [bool(rows), key in STRUCTURAL, key in REFUSED, key in OUTPUT_ONLY]
    assert sum(homes) == 1, (
        f"{card} card key {key!r}: give it one ENTRIES row in ekodask/eko_compat/runcards.py "
        f"(its eko name), a STRUCTURAL mapping, a REFUSED or an OUTPUT_ONLY reason "
        f"(found {homes})"
    )
    if key in REFUSED:
        assert key in _REFUSED_SAMPLES, f"add a non-default sample value of {key!r}"
        with pytest.raises(CardError, match=f"key '{key}'"):
            to_eko({key: _REFUSED_SAMPLES[key]}, EKO)


def test_entries_name_ekos_keys_once():
    known = {
        "theory": set().union(*_THEORY_KEYS)
        | {f"couplings.{k}" for k in set().union(*_COUPLINGS_KEYS)}
        | {f"heavy.{k}" for k in set().union(*_HEAVY_KEYS)},
        "operator": set().union(*_OPERATOR_KEYS)
        | {f"configs.{k}" for k in set().union(*_CONFIGS_KEYS)}
        | {f"debug.{k}" for k in set().union(*_DEBUG_KEYS)},
    }
    ekos = [e.eko for e in ENTRIES]
    assert len(set(ekos)) == len(ekos)
    for card, dotted in ekos:
        assert dotted in known[card], (card, dotted)
    for card, dotted in STRUCTURAL.values():
        assert dotted.split(".")[0] in known[card] or dotted.rsplit(".", 1)[0] in known[card]
    for e in ENTRIES:  # a row's ekodask card is the card its key lives in, once it exists
        assert e.card in ("theory", "operator")
        other = "operator" if e.card == "theory" else "theory"
        other_keys = {f.name for f in fields(OperatorCard if other == "operator" else TheoryCard)}
        assert e.key not in other_keys or (other, e.key) in ALIASES, e


def test_cli_names_the_eko_card_file(tmp_path, capsys):
    theory, operator = _edited("configs.polarized", True, "operator")
    (tmp_path / "t.yaml").write_text(yaml.safe_dump(theory))
    (tmp_path / "o.yaml").write_text(yaml.safe_dump(operator))
    rc = main(["run", str(tmp_path / "t.yaml"), str(tmp_path / "o.yaml"), "-o", "x.zarr"])
    assert rc == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"ekodask: error: eko operator card '{tmp_path / 'o.yaml'}'")
    assert "'configs.polarized'" in err and "\n" not in err


def test_translation_does_not_alter_its_input():
    theory, operator = _pineko_cards()
    before = copy.deepcopy((theory, operator))
    from_eko(theory, operator)
    assert yaml.safe_dump(before) == yaml.safe_dump((theory, operator))


def test_python_api_run_takes_eko_runcards(tmp_path):
    # ekodask.run recognises eko's cards as `ekodask run` does (the façade translates them;
    # cards.py knows nothing of eko), and computes what the translated cards compute
    xgrid = [1e-4, 1e-3, 0.01, 0.1, 0.3, 0.6, 0.9, 1.0]
    cards = ({"order": 1}, {"xgrid": xgrid, "interpolation_degree": 3, "mu2grid": [10.0], **EKO})
    eko_theory, eko_operator = to_eko(*cards)
    a = ekodask.run(eko_theory, eko_operator, str(tmp_path / "a.zarr"), scheduler="synchronous")
    b = ekodask.run(*cards, str(tmp_path / "b.zarr"), scheduler="synchronous")
    assert a.compat == b.compat and a.evolution_points == b.evolution_points == ((10.0, 4),)
    np.testing.assert_array_equal(a[(10.0, 4)], b[(10.0, 4)])
    with pytest.raises(CardError, match=r"'configs\.polarized'"):
        ekodask.run(*_edited("configs.polarized", True, "operator"), str(tmp_path / "c.zarr"))
    assert not (tmp_path / "c.zarr").exists()


def test_cli_thresholds_and_partial_take_eko_runcards(tmp_path):
    xgrid = [1e-4, 1e-3, 0.01, 0.1, 0.3, 0.6, 0.9, 1.0]
    cards = ({"order": 1}, {"xgrid": xgrid, "interpolation_degree": 3, "mu2grid": [30.0], **EKO})
    for name, card in zip(("t.yaml", "o.yaml"), to_eko(*cards), strict=True):
        (tmp_path / name).write_text(yaml.safe_dump(card))
    eko_cards = [str(tmp_path / "t.yaml"), str(tmp_path / "o.yaml")]
    store = str(tmp_path / "s.zarr")
    assert main(["thresholds", *eko_cards, "-o", store, "-q"]) == 0
    assert main(["partial", *eko_cards, "-o", store, "--mu2", "30.0", "-q"]) == 0
    st = ekodask.open(store)
    assert len(st.thresholds) == 2 and len(st.partials) == 1  # c and b below mu2 = 30
    b = ekodask.run(*cards, str(tmp_path / "b.zarr"), scheduler="synchronous")
    assert st.compat == b.compat  # the translated cards, as the Python API takes them
