"""Damaged stores: `ekodask verify [--fix]`, and damage that must never go unnoticed.

A tiny LO store (10 x points, two scales, two thresholds) is computed once per module; each
test damages a copy, and the reference for "recomputed" is the untouched clean run.
"""

from __future__ import annotations

import os
import re
import shutil
import stat

import numpy as np
import pytest

import ekodask
from ekodask.cli import main
from ekodask.errors import StoreError
from ekodask.store import combine, inspect, merge, open
from tests.test_store import tree_hash

THEORY = {"order": 1}
OPERATOR = {
    "xgrid": [1.0e-4, 4.6e-4, 2.2e-3, 1.0e-2, 4.6e-2, 0.1, 0.3, 0.5, 0.7, 1.0],
    "interpolation_degree": 3,
    "mu2grid": [10.0, 100.0],
}
FINAL = "finals/100.0_nf5"
CHUNK = FINAL + "/operator/c/0/0/0/0"


def without_damaged(path: str) -> str:
    """tree_hash of a store, leaving out what verify --fix moved aside."""
    tmp = str(path) + ".hashcopy"
    shutil.copytree(path, tmp, ignore=shutil.ignore_patterns(".damaged"))
    try:
        return tree_hash(tmp)
    finally:
        shutil.rmtree(tmp)


@pytest.fixture(scope="module")
def clean_store(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("clean") / "eko.zarr")
    ekodask.run(THEORY, OPERATOR, path, scheduler="synchronous", keep_partials=True)
    return path


@pytest.fixture
def store(clean_store, tmp_path) -> str:
    path = str(tmp_path / "eko.zarr")
    shutil.copytree(clean_store, path)
    return path


def rerun(path: str) -> None:
    ekodask.run(THEORY, OPERATOR, path, scheduler="synchronous", keep_partials=True)


def truncate(path: str) -> None:
    data = open_bytes(path)
    with open_w(path) as f:
        f.write(data[: len(data) // 2])


def flip_bit(path: str) -> None:
    data = bytearray(open_bytes(path))
    data[len(data) // 2] ^= 0x10
    with open_w(path) as f:
        f.write(bytes(data))


def open_bytes(path: str) -> bytes:
    with open_r(path) as f:
        return f.read()


def open_r(path: str):
    import builtins

    return builtins.open(path, "rb")


def open_w(path: str):
    import builtins

    return builtins.open(path, "wb")


def test_clean_store_verifies(clean_store, capsys):
    assert main(["verify", clean_store]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "6 piece(s)" in out[0] and "0 damaged, 0 missing" in out[0]


@pytest.mark.parametrize("damage", ["truncate", "delete", "flip"])
def test_damaged_chunk_reported_moved_aside_and_recomputed(store, clean_store, capsys, damage):
    chunk = os.path.join(store, *CHUNK.split("/"))
    {"truncate": truncate, "delete": os.remove, "flip": flip_bit}[damage](chunk)
    assert "finals: 2" in inspect(store)  # metadata only: the chunk is not read
    assert main(["verify", store]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("damaged final mu2=100.0 nf=5")
    assert "1 damaged, 0 missing" in lines[1]
    assert main(["verify", "--fix", store]) == 1
    out = capsys.readouterr().out
    assert "moved aside: " + os.path.join(store, ".damaged", "finals", "100.0_nf5-") in out
    [moved] = os.listdir(os.path.join(store, ".damaged", "finals"))
    assert os.path.isdir(os.path.join(store, ".damaged", "finals", moved, "operator"))  # kept
    assert main(["verify", store]) == 1  # now missing: the card asks for it
    assert "missing final mu2=100.0" in capsys.readouterr().out
    rerun(store)
    assert main(["verify", store]) == 0
    assert without_damaged(store) == tree_hash(clean_store)


def test_damaged_piece_group_metadata_never_vanishes(store, clean_store, tmp_path, capsys):
    with open_w(os.path.join(store, FINAL, "zarr.json")) as f:
        f.write(b'{"zarr_format": 3, "node_')
    eko = open(store)
    assert len(eko) == 2 and (100.0, 5) in eko  # still listed
    assert [d[:2] for d in eko.damaged] == [("finals", (100.0, 5))]
    with pytest.raises(StoreError, match=r"final \(100\.0, 5\) is damaged"):
        eko[100.0]
    with pytest.raises(StoreError, match="damaged"):
        dict(eko.items())
    assert "finals: 2 (1 damaged)" in inspect(store)
    assert "DAMAGED" in inspect(store)
    out = str(tmp_path / "merged.zarr")
    assert main(["merge", store, "-o", out]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "100.0_nf5 is damaged" in err
    assert not os.path.exists(out)
    assert main(["verify", store]) == 1
    assert "damaged final mu2=100.0 nf=5" in capsys.readouterr().out
    rerun(store)  # moves the damaged piece aside and recomputes it, nothing left over
    assert not [n for n in os.listdir(os.path.join(store, "finals")) if n.startswith(".")]
    assert main(["verify", store]) == 0
    assert without_damaged(store) == tree_hash(clean_store)


@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_refused_merge_leaves_no_output(store, tmp_path, capsys, damage):
    chunk = os.path.join(store, *CHUNK.split("/"))
    {"truncate": truncate, "delete": os.remove}[damage](chunk)
    for out in (str(tmp_path / "out.zarr"), str(tmp_path / "out.zip")):
        assert main(["merge", store, "-o", out]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and "final (100.0, 5)" in err
        assert not os.path.exists(out)
    assert sorted(os.listdir(tmp_path)) == ["eko.zarr"]


def test_corrupt_array_metadata_is_one_line_naming_the_file(store, tmp_path, capsys):
    meta = os.path.join(store, FINAL, "operator", "zarr.json")
    with open_w(meta) as f:
        f.write(b"{not json")
    eko = open(store)
    for call in (
        lambda: eko[100.0],
        lambda: dict(eko.items()),
        lambda: eko.to_dask().compute(scheduler="sync"),
        lambda: merge([store], str(tmp_path / "m.zarr")),
    ):
        with pytest.raises(StoreError, match=re.escape(meta)):
            call()
    assert not os.path.exists(tmp_path / "m.zarr")
    for argv in (["merge", store, "-o", str(tmp_path / "m.zarr")], ["verify", store]):
        code = main(argv)
        captured = capsys.readouterr()
        text = captured.err if code == 2 else captured.out
        assert code in (1, 2) and "100.0" in text and "Traceback" not in text
    partial = os.path.join(store, "partials", "100.0_nf5", "operator", "zarr.json")
    shutil.rmtree(os.path.join(store, "finals", "100.0_nf5"))
    with open_w(partial) as f:
        f.write(b"\x00\xff")
    with pytest.raises(StoreError, match=re.escape(partial)):
        combine(store)
    assert main(["combine", store]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and partial in err


def test_later_run_and_merge_extend_the_stored_mu2grid(tmp_path):
    a, b = str(tmp_path / "a.zarr"), str(tmp_path / "b.zarr")
    ekodask.run(THEORY, {**OPERATOR, "mu2grid": [10.0]}, a, scheduler="synchronous")
    assert open(a).operator["mu2grid"] == [10.0]
    ekodask.run(THEORY, {**OPERATOR, "mu2grid": [30.0, 10.0]}, a, scheduler="synchronous")
    assert open(a).operator["mu2grid"] == [10.0, 30.0]
    ekodask.run(THEORY, {**OPERATOR, "mu2grid": [10.0]}, a, scheduler="synchronous")
    assert open(a).operator["mu2grid"] == [10.0, 30.0]  # nothing new: nothing recorded
    ekodask.run(THEORY, {**OPERATOR, "mu2grid": [[20.25, 5]]}, b, scheduler="synchronous")
    out = str(tmp_path / "m.zarr")
    merge([a, b], out)
    assert open(out).operator["mu2grid"] == [10.0, [20.25, 5], 30.0]
    merge([a, b], str(tmp_path / "m.zip"))
    with open(tmp_path / "m.zip") as eko:
        assert eko.operator["mu2grid"] == [10.0, [20.25, 5], 30.0]
    assert main(["verify", out]) == 0


def test_zip_from_merge_has_the_usual_file_mode(clean_store, tmp_path):
    mask = os.umask(0o022)
    os.umask(mask)
    out = tmp_path / "eko.zip"
    assert main(["merge", clean_store, "-o", str(out)]) == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o666 & ~mask
    with open(out) as eko:
        np.testing.assert_array_equal(eko[100.0], open(clean_store)[100.0])
