"""The EKO's compact repr, its HTML display and ``inspect``: one summary, metadata only."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
from zarr.storage import LocalStore, WrapperStore

from ekodask.store import create, inspect, open
from ekodask.store.summary import summarize

PIDS = (22, -6, -5, -4, -3, -2, -1, 21, 1, 2, 3, 4, 5, 6)
THEORY = {"order": 2, "scheme": "VFNS", "alphas": 0.35}
OPERATOR = {"mu0": 1.4142135623730951, "method": "iterate-exact", "xgrid": [1e-3, 0.1, 1.0]}
NX = 3


def _op(k: float) -> np.ndarray:
    return np.full((14, NX, 14, NX), float(k))


def _store(path, mu2grid):
    return create(
        str(path),
        metadata={"theory": THEORY, "operator": {**OPERATOR, "mu2grid": mu2grid}},
        compat={"theory": THEORY, "operator": OPERATOR},
        xgrid=OPERATOR["xgrid"],
        pids=PIDS,
    )


@pytest.fixture
def store(tmp_path):
    """Finals at 10 and 100 (nf 4) and 1e4 (nf 5), a threshold, a partial after it whose final
    is missing, and 5e4 requested by the card but absent."""
    s = _store(tmp_path / "s.zarr", [10.0, 100.0, 1e4, 2e4, 5e4])
    s.write_threshold((20.25, 5), _op(7), error=_op(1e-9))
    for k, point in enumerate([(10.0, 4), (100.0, 4), (1e4, 5)]):
        s.write_final(point, _op(k))
    s.write_partial((2e4, 5), _op(5), start=(20.25, 5))
    return s.path


def test_repr_is_one_compact_line(store):
    text = repr(open(store))
    assert "\n" not in text and len(text) < 300
    assert text.startswith(
        f"EKO({store!r}: 3 finals (nf=4: 2 at mu2 10 .. 100; nf=5: 1 at mu2 1e+04)"
    )
    assert "1 partials, 1 thresholds; order 2 VFNS iterate-exact; nx=3 in [0.001, 1]" in text
    assert "2 missing" in text and " MB; " in text


def test_html_is_the_inspect_summary_as_tables(store):
    eko = open(store)
    page = eko._repr_html_()
    assert page.count('<table class="ekodask-summary">') == 4  # summary, 2 cards, pieces
    assert "<td>finals</td><td>3: nf=4: 2 at mu2 10 .. 100; nf=5: 1 at mu2 1e+04</td>" in page
    assert "<td>x-grid</td><td>3 points from 0.001 to 1.0</td>" in page
    assert "<td>scheme</td><td>&quot;VFNS&quot;</td>" in page  # the theory card, escaped
    assert "<td>partial</td><td>20000.0</td><td>5</td><td>after threshold (20.25, 5)</td>" in page
    assert "(with error)" in page  # the threshold's error estimate
    # both missing pieces, as ekodask verify and inspect word them
    text = inspect(store)
    for line in (
        "missing final 50000.0 (finals/50000.0): requested by the stored operator card",
        "missing final mu2=20000.0 nf=5 (finals/20000.0_nf5): not combined yet",
    ):
        assert line in page and line in text
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(store) for f in files)
    assert summarize(eko).nbytes == size
    assert f"<td>size on disk</td><td>{size / 1e6:.3g} MB</td>" in page
    assert f"  size on disk: {size / 1e6:.3g} MB" in text


def test_damaged_and_in_flight_pieces_are_shown(store):
    final = os.path.join(store, "finals", "100.0_nf4")
    shutil.copytree(final, os.path.join(store, "finals", ".build-1000.0_nf4-abc"))
    with open_w(os.path.join(final, "zarr.json")) as f:
        f.write(b"{not json")
    eko = open(store)
    text = repr(eko)
    assert "1 damaged (`ekodask verify --fix`), 2 missing, 1 being written" in text
    page = eko._repr_html_()
    assert "DAMAGED: cannot read its group metadata" in page
    assert "1 damaged" in page and "1 being written" in page
    assert "  being written (or left by a crashed writer): 1" in inspect(store)
    assert not summarize(eko).complete


def test_a_complete_store_says_so(tmp_path):
    s = _store(tmp_path / "c.zarr", [10.0])
    s.write_final((10.0, 4), _op(1))
    eko = open(s.path)
    assert repr(eko).endswith("; complete)")
    assert "<td>state</td><td>complete (metadata only" in eko._repr_html_()
    assert summarize(eko).complete


def test_html_escapes_the_path(tmp_path):
    s = _store(tmp_path / "a<b>&.zarr", [10.0])
    s.write_final((10.0, 4), _op(1))
    page = open(s.path)._repr_html_()
    assert "a&lt;b&gt;&amp;.zarr" in page and "a<b>" not in page


class CountingStore(WrapperStore):
    fetched: list[str]

    async def get(self, key, prototype, byte_range=None):
        self.fetched.append(key)
        return await self._store.get(key, prototype, byte_range)


def test_displays_read_no_operator_data(store):
    wrapped = CountingStore(LocalStore(store, read_only=True))
    wrapped.fetched = []
    eko = open(wrapped)
    text, page = repr(eko), eko._repr_html_()
    assert "3 finals" in text and "ekodask-summary" in page
    assert wrapped.fetched and all(k.endswith("zarr.json") for k in wrapped.fetched)
    assert summarize(eko).nbytes is None  # not a path: size unknown, said so
    assert "unknown;" in text


def test_zip_store_size_is_the_file(store, tmp_path):
    from ekodask.store import export_zip

    out = str(tmp_path / "s.zip")
    export_zip(store, out)
    with open(out) as eko:
        assert summarize(eko).nbytes == os.path.getsize(out)
        assert "3 finals" in repr(eko)


def open_w(path):
    import builtins

    return builtins.open(path, "wb")
