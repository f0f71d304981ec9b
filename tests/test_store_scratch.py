"""Build directories left by a killed creator or merge are removed by the next one, and only
those: a live owner's, another host's and foreign names stay (store/_scratch.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from ekodask.store import merge
from ekodask.store._scratch import _host, remove_stale, scratch_dir
from tests.test_store import new_store, synthetic_op


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _leftover(parent, name: str, kind: str, pid: int, host: str | None = None) -> str:
    path = os.path.join(parent, f".{name}.{kind}-0123abcd.{pid}.{host or _host()}")
    os.makedirs(os.path.join(path, "finals"))
    return path


def test_scratch_name_carries_owner():
    path = scratch_dir("/some/where", "eko.zarr", "creating")
    assert os.path.dirname(path) == "/some/where"
    base = os.path.basename(path)
    assert base.startswith(".eko.zarr.creating-")
    assert base.endswith(f".{os.getpid()}.{_host()}")


def test_create_removes_a_killed_creators_leftover_only(tmp_path):
    dead = _leftover(tmp_path, "a.zarr", "creating", _dead_pid())
    alive = _leftover(tmp_path, "a.zarr", "creating", os.getppid())
    other_host = _leftover(tmp_path, "a.zarr", "creating", _dead_pid(), host="elsewhere")
    other_store = _leftover(tmp_path, "b.zarr", "creating", _dead_pid())
    foreign = tmp_path / ".a.zarr.creating-notours"
    foreign.mkdir()
    store = new_store(tmp_path / "a.zarr")
    store.write_final((2.0, 4), synthetic_op(4, 2))
    assert not os.path.exists(dead)
    for kept in (alive, other_host, other_store, foreign):
        assert os.path.isdir(kept), kept
    assert sorted(os.listdir(tmp_path)) == sorted(
        [
            ".a.zarr.creating-notours",
            *(os.path.basename(p) for p in (alive, other_host, other_store)),
            "a.zarr",
        ]
    )


def test_merge_removes_a_killed_merges_leftover(tmp_path):
    a = new_store(tmp_path / "a.zarr")
    a.write_final((2.0, 4), synthetic_op(4, 2))
    dead = _leftover(tmp_path, "out.zarr", "merging", _dead_pid())
    merge([str(tmp_path / "a.zarr")], str(tmp_path / "out.zarr"))
    assert not os.path.exists(dead)
    assert sorted(os.listdir(tmp_path)) == ["a.zarr", "out.zarr"]


def test_remove_stale_without_parent_is_harmless(tmp_path):
    assert remove_stale(str(tmp_path / "missing"), "a.zarr", "creating") == []
