"""One contract every kind of store keeps (directory, .zip file, memory:// URL).

As zarr-python 3's StoreTests: the tests live in StoreContract; each subclass only says how
to build a store of its kind holding given pieces, and how to damage one piece's metadata.
"""

from __future__ import annotations

import itertools
import os
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from ekodask.errors import StoreError
from ekodask.store import (
    EKOStore,
    PointNotFoundError,
    clean,
    combine,
    inspect,
    iter_pieces,
    merge,
    open,
    verify,
)
from tests.test_store import COMPAT, METADATA, PIDS, new_store, synthetic_op

MU2_C = 2.0000000000000004  # charm threshold as computed; looked up as 2.0
NX = 4
_counter = itertools.count()


def fill(store: EKOStore) -> None:
    """The pieces every contract test starts from (finals at the card's 10 and 100 GeV^2)."""
    store.write_threshold((MU2_C, 4), synthetic_op(NX, 1))
    store.write_partial((100.0, 4), synthetic_op(NX, 2), start=(MU2_C, 4))
    store.write_partial((10.0, 4), synthetic_op(NX, 3), error=synthetic_op(NX, 3.5))
    store.write_final((10.0, 4), synthetic_op(NX, 4), error=synthetic_op(NX, 4.5))
    store.write_final((100.0, 4), synthetic_op(NX, 5))


class StoreContract:
    """The contract; subclasses set `writable` and implement build and damage."""

    writable: bool = True

    def build(self, tmp_path: Any, filler: Callable[[EKOStore], None]) -> str:
        """A store of this kind holding what filler writes; returns its path or URL."""
        raise NotImplementedError

    def damage_group(self, tmp_path: Any, filler: Callable[[EKOStore], None], name: str) -> str:
        """Like build, with the group zarr.json of finals/<name> made unreadable."""
        raise NotImplementedError

    @pytest.fixture
    def path(self, tmp_path) -> str:
        return self.build(tmp_path, fill)

    def test_round_trip(self, path):
        eko = open(path)
        assert eko.evolution_points == ((10.0, 4), (100.0, 4))
        assert list(eko.thresholds) == [(MU2_C, 4)]
        assert list(eko.partials) == [(10.0, 4), (100.0, 4)]
        np.testing.assert_array_equal(eko[10.0], synthetic_op(NX, 4))
        np.testing.assert_array_equal(eko.error(10.0), synthetic_op(NX, 4.5))
        assert eko.error(100.0) is None
        np.testing.assert_array_equal(eko.partials.error((10.0, 4)), synthetic_op(NX, 3.5))
        assert eko.partials.start((100.0, 4)) == (MU2_C, 4)
        assert eko.partials.start((10.0, 4)) is None
        eko.close()

    def test_metadata(self, path):
        with open(path) as eko:
            assert eko.metadata == METADATA and eko.compat == COMPAT
            assert eko.pids == PIDS and eko.xgrid.shape == (NX,)
            assert eko.versions["format_version"] == 1
            assert eko.damaged == ()

    def test_lookups_forgive_round_off_only(self, path):
        with open(path) as eko:
            np.testing.assert_array_equal(eko.thresholds[(2.0, 4)], synthetic_op(NX, 1))
            np.testing.assert_array_equal(eko[(100.0 * (1 + 1e-13), 4)], synthetic_op(NX, 5))
            for key in ((2.0, 5), (2.0 * (1 + 1e-10), 4)):
                with pytest.raises(PointNotFoundError):
                    eko.thresholds[key]
            with pytest.raises(PointNotFoundError, match="no final"):
                eko[(50.0, 4)]

    def test_iter_pieces_and_dask(self, path):
        got = list(iter_pieces(path))
        assert [k for k, _, _ in got] == [(10.0, 4), (100.0, 4)]
        np.testing.assert_array_equal(got[1][1], synthetic_op(NX, 5))
        with open(path) as eko:
            d = eko.to_dask()
            assert d.shape == (2, 14, NX, 14, NX)
            np.testing.assert_array_equal(d[1].compute(scheduler="sync"), synthetic_op(NX, 5))
            again = pickle.loads(pickle.dumps(eko))
            np.testing.assert_array_equal(again[10.0], synthetic_op(NX, 4))
            again.close()

    def test_verify_and_inspect(self, path):
        report = verify(path)
        assert report.findings == () and report.pieces == 5
        text = inspect(path)
        assert "metadata only" in text and "finals: 2" in text and "thresholds: 1" in text

    def test_merge_into_a_directory_keeps_every_bit(self, path, tmp_path):
        out = str(tmp_path / "merged.zarr")
        merge([path], out)
        for role in ("finals", "partials", "thresholds"):
            a, b = list(iter_pieces(path, role)), list(iter_pieces(out, role))
            assert [k for k, _, _ in a] == [k for k, _, _ in b]
            for (_, op_a, err_a), (_, op_b, err_b) in zip(a, b, strict=True):
                np.testing.assert_array_equal(op_a, op_b)
                assert (err_a is None) == (err_b is None)

    def test_damaged_group_is_listed_never_read_never_merged(self, tmp_path):
        path = self.damage_group(tmp_path, fill, "100.0_nf4")
        with open(path) as eko:
            assert (100.0, 4) in eko and len(eko) == 2
            assert [d[:2] for d in eko.damaged] == [("finals", (100.0, 4))]
            with pytest.raises(StoreError, match="damaged"):
                eko[100.0]
        assert [f.label for f in verify(path).damaged] == ["final mu2=100.0 nf=4"]
        with pytest.raises(StoreError, match="damaged"):
            merge([path], str(tmp_path / "out.zarr"))
        assert not os.path.exists(tmp_path / "out.zarr")

    def test_writes(self, path):
        if not self.writable:
            with pytest.raises(StoreError, match="read-only"):
                EKOStore(path)
            return
        s = EKOStore(path)
        s.write_final((10.0, 4), synthetic_op(NX, 4), error=synthetic_op(NX, 4.5))  # same bits
        with pytest.raises(StoreError, match="already stored with different data"):
            s.write_final((10.0, 4), synthetic_op(NX, 9))
        s.write_partial((30.0, 4), synthetic_op(NX, 6), start=(MU2_C, 4))
        assert combine(path) == [(30.0, 4)]
        assert sorted(clean(path)) == [(10.0, 4), (30.0, 4), (100.0, 4)]
        with open(path) as eko:
            assert len(eko) == 3 and list(eko.partials) == []


class TestDirectoryStore(StoreContract):
    def build(self, tmp_path, filler):
        path = str(tmp_path / f"s{next(_counter)}.zarr")
        filler(new_store(path, nx=NX))
        return path

    def damage_group(self, tmp_path, filler, name):
        path = self.build(tmp_path, filler)
        with _open_w(os.path.join(path, "finals", name, "zarr.json")) as f:
            f.write(b'{"zarr_format": 3,')
        return path


class TestZipStore(StoreContract):
    writable = False

    def build(self, tmp_path, filler):
        folder = TestDirectoryStore().build(tmp_path, filler)
        out = folder[: -len(".zarr")] + ".zip"
        merge([folder], out)
        return out

    def damage_group(self, tmp_path, filler, name):
        from ekodask.store import export_zip

        folder = TestDirectoryStore().damage_group(tmp_path, filler, name)
        return export_zip(folder, folder[: -len(".zarr")] + ".zip")


class TestMemoryStore(StoreContract):
    def build(self, tmp_path, filler):
        url = f"memory://contract-{os.getpid()}-{next(_counter)}/a.zarr"
        filler(new_store(url, nx=NX))
        return url

    def damage_group(self, tmp_path, filler, name):
        import fsspec

        url = self.build(tmp_path, filler)
        fs = fsspec.filesystem("memory")
        fs.pipe(url.removeprefix("memory://") + f"/finals/{name}/zarr.json", b"{broken")
        return url


def _open_w(path: str):
    import builtins

    return builtins.open(path, "wb")
