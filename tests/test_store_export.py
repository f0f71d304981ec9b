"""The export seam: iter_pieces walks a role's pieces in key order, one at a time."""

from __future__ import annotations

import numpy as np
import pytest

from ekodask.errors import StoreError
from ekodask.store import iter_pieces, merge, open
from tests.test_store import new_store, synthetic_op


def test_iter_pieces_in_order_with_errors(tmp_path):
    s = new_store(tmp_path / "a.zarr")
    s.write_final((100.0, 5), synthetic_op(4, 3), error=synthetic_op(4, 3.5))
    s.write_final((10.0, 4), synthetic_op(4, 1))
    s.write_threshold((20.25, 5), synthetic_op(4, 7))
    s.write_partial((100.0, 5), synthetic_op(4, 8), start=(20.25, 5))
    merge([s.path], str(tmp_path / "a.zip"))
    for source in (s.path, str(tmp_path / "a.zip"), open(s.path)):
        got = list(iter_pieces(source))
        assert [k for k, _, _ in got] == [(10.0, 4), (100.0, 5)]
        np.testing.assert_array_equal(got[0][1], synthetic_op(4, 1))
        assert got[0][2] is None
        np.testing.assert_array_equal(got[1][2], synthetic_op(4, 3.5))
        [(key, op, err)] = iter_pieces(source, "thresholds")
        assert key == (20.25, 5) and err is None
        np.testing.assert_array_equal(op, synthetic_op(4, 7))
        assert [k for k, _, _ in iter_pieces(source, "partials")] == [(100.0, 5)]
    with pytest.raises(StoreError, match="unknown role"):
        next(iter_pieces(s.path, "final"))
