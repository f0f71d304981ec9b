"""Look-ups by evolution point forgive round-off in mu2; storage keys stay exact."""

from __future__ import annotations

import numpy as np
import pytest

from ekodask.store import PointNotFoundError, open
from tests.test_store import new_store, synthetic_op

MU2_C = 2.0000000000000004  # the charm threshold of mc = sqrt(2) GeV, as computed


def test_threshold_found_at_the_rounded_scale(tmp_path):
    s = new_store(tmp_path / "a.zarr")
    s.write_threshold((MU2_C, 4), synthetic_op(4, 1))
    s.write_final((MU2_C, 4), synthetic_op(4, 2))
    eko = open(tmp_path / "a.zarr")
    assert list(eko.thresholds) == [(MU2_C, 4)]  # the stored key is exact
    np.testing.assert_array_equal(eko.thresholds[(2.0, 4)], synthetic_op(4, 1))
    assert (2.0, 4) in eko.thresholds and (2.0, 5) not in eko.thresholds
    np.testing.assert_array_equal(eko[2.0], synthetic_op(4, 2))
    np.testing.assert_array_equal(eko[(2.0, 4)], synthetic_op(4, 2))
    assert 2.0 in eko and (2.0 * (1 + 1e-11), 4) not in eko  # 1e-12 relative, no more
    with pytest.raises(PointNotFoundError, match="no threshold"):
        eko.thresholds[(2.0, 5)]


def test_two_keys_within_round_off_are_ambiguous(tmp_path):
    s = new_store(tmp_path / "a.zarr")
    s.write_final((2.0, 4), synthetic_op(4, 1))
    s.write_final((MU2_C, 4), synthetic_op(4, 2))
    eko = open(tmp_path / "a.zarr")
    np.testing.assert_array_equal(eko[(MU2_C, 4)], synthetic_op(4, 2))  # exact wins
    with pytest.raises(PointNotFoundError, match="ambiguous"):
        eko[(2.0 * (1 + 1e-13), 4)]
    with pytest.raises(PointNotFoundError, match="ambiguous"):
        eko[2.0 * (1 - 1e-13)]
