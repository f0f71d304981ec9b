"""`polarized` and `time_like` in the operator card, where the public contract (and eko's
configs) put them: moved into the theory card, their one home, with the same checks."""

import numpy as np
import pytest

from ekodask.cards import compat_dict, load_cards, load_operator
from ekodask.compute import operator_at
from ekodask.errors import CardError

SMALL = {"xgrid": [1e-3, 1e-2, 0.1, 0.3, 0.6, 1.0], "interpolation_degree": 2, "mu2grid": [10.0]}


@pytest.mark.parametrize("key", ["polarized", "time_like"])
def test_operator_card_key_means_the_theory_card_key(key):
    via_op = load_cards({"order": 2}, {**SMALL, key: True})
    via_th = load_cards({"order": 2, key: True}, SMALL)
    assert via_op == via_th  # same cards, so the same store, hashes and merge compatibility
    assert getattr(via_op[0], key) is True and getattr(via_op[1], key) is None
    assert compat_dict(*via_op) == compat_dict(*via_th)
    np.testing.assert_array_equal(
        operator_at(*via_op, 10.0, 4), operator_at(*via_th, 10.0, 4)
    )  # bitwise: one computation


def test_operator_card_without_the_keys_stores_nothing_new():
    assert "polarized" not in load_operator(SMALL).to_dict()
    assert load_operator(SMALL) == load_operator({**SMALL, "polarized": None})


@pytest.mark.parametrize(
    ("theory", "operator", "match"),
    [
        ({"order": 2, "polarized": True}, {"polarized": False}, "operator card: key 'polarized'"),
        ({"order": 3}, {"polarized": True}, "theory card: key 'polarized'.*operator card"),
        ({}, {"time_like": "yes"}, "operator card: key 'time_like'.*true or false"),
        ({"order": 2}, {"polarized": True, "time_like": True}, "key 'time_like'"),
    ],
)
def test_refusals_are_one_line(theory, operator, match):
    with pytest.raises(CardError, match=match) as err:
        load_cards(theory, {**SMALL, **operator})
    assert "\n" not in str(err.value)
