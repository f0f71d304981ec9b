"""Every bad input of the brief and issue 13 at the command line: exit 2, one line naming the
field or file, no traceback, and an existing store (the target or an input) left bit for bit
as it was."""

from __future__ import annotations

import os
import shutil

import pytest

from ekodask.cli import main
from ekodask.pdfs.toy import write_toy_set
from ekodask.store import open as open_store
from tests.test_store import tree_hash

THEORY = "order: 1\n"
OPERATOR = (
    "xgrid: [1.0e-4, 4.6e-4, 2.2e-3, 1.0e-2, 4.6e-2, 0.1, 0.3, 0.5, 0.7, 1.0]\n"
    "interpolation_degree: 3\n"
    "mu2grid: [10.0, 100.0]\n"
)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Cards and a finished store made once; each test works on copies."""
    folder = tmp_path_factory.mktemp("made")
    (folder / "theory.yaml").write_text(THEORY)
    (folder / "operator.yaml").write_text(OPERATOR)
    store = str(folder / "eko.zarr")
    cards = [str(folder / "theory.yaml"), str(folder / "operator.yaml")]
    argv = ["run", *cards, "-o", store, "-q", "--scheduler", "synchronous", "--keep-partials"]
    assert main(argv) == 0
    return folder


@pytest.fixture
def work(made, tmp_path):
    for name in ("theory.yaml", "operator.yaml"):
        shutil.copy(made / name, tmp_path / name)
    shutil.copytree(made / "eko.zarr", tmp_path / "eko.zarr")
    return tmp_path


def _corrupt_array_json(store: str) -> str:
    path = os.path.join(store, "finals", "100.0_nf5", "operator", "zarr.json")
    with open(path, "wb") as f:
        f.write(b"{not json")
    return path


def _binary(path) -> str:
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n\x00\xff\xfe\x00")
    return str(path)


def _run(w, theory: str = "theory.yaml", out: str = "eko.zarr", *extra: str) -> list[str]:
    return ["run", str(w / theory), str(w / "operator.yaml"), "-o", str(w / out), *extra]


def _unknown_key(w):
    (w / "theory.yaml").write_text("order: 1\nalpha_s: 0.3\n")
    return _run(w), "alpha_s"


def _unphysical_value(w):
    (w / "theory.yaml").write_text("order: 1\nalphas: 1.5\n")
    return _run(w), "alphas"


def _binary_operator_card(w):
    _binary(w / "operator.yaml")
    return _run(w), "operator.yaml"


def _binary_lhapdf_info(w):
    write_toy_set(w / "toy", open_store(str(w / "eko.zarr")).xgrid)
    _binary(w / "toy" / "toy.info")
    return ["evolve-pdf", str(w / "eko.zarr"), str(w / "toy"), "-o", str(w / "out")], "toy.info"


def _corrupt(command: list[str]):
    def prepare(w):
        argv = [a.replace("STORE", str(w / "eko.zarr")).replace("OUT", str(w)) for a in command]
        return argv, _corrupt_array_json(str(w / "eko.zarr"))

    return prepare


def _corrupt_partial_then_combine(w):
    store = str(w / "eko.zarr")
    shutil.rmtree(os.path.join(store, "finals", "100.0_nf5"))
    path = os.path.join(store, "partials", "100.0_nf5", "operator", "zarr.json")
    with open(path, "wb") as f:
        f.write(b"\x00\xff")
    return ["combine", store], path


CASES = {
    "binary theory card": lambda w: (_run(w, _binary(w / "theory.yaml")), "theory.yaml"),
    "binary operator card": _binary_operator_card,
    "unknown key": _unknown_key,
    "unphysical value": _unphysical_value,
    "unknown scheduler": lambda w: (
        _run(w, "theory.yaml", "new.zarr", "--scheduler", "foo"),
        "foo",
    ),
    "unwritable output": lambda w: (_run(w, "theory.yaml", "/proc/x.zarr"), "/proc/x.zarr"),
    "corrupt zarr.json, merge": _corrupt(["merge", "STORE", "-o", "OUT/m.zarr"]),
    "corrupt partial zarr.json, combine": _corrupt_partial_then_combine,
    "corrupt zarr.json, export": _corrupt(["export", "STORE", "-o", "OUT/e.tar"]),
    "not a store": lambda w: (["inspect", str(w / "theory.yaml")], "theory.yaml"),
    "binary LHAPDF info": _binary_lhapdf_info,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_line_exit_2_and_nothing_lost(work, capsys, case):
    argv, named = CASES[case](work)
    before = {
        name: tree_hash(str(work / name))
        for name in sorted(os.listdir(work))
        if name not in ("theory.yaml", "operator.yaml")
    }
    code = main(argv)
    err = capsys.readouterr().err.strip()
    assert code == 2, (case, err)
    assert err.count("\n") == 0 and err.startswith("ekodask: error: "), err
    assert "Traceback" not in err and named in err, (named, err)
    after = {name: tree_hash(str(work / name)) for name in before}
    assert after == before  # nothing stored changed
    leftovers = set(os.listdir(work)) - set(before) - {"theory.yaml", "operator.yaml"}
    assert not leftovers, leftovers  # no half-written output, no build directory


def test_unreachable_scheduler_is_one_line_and_writes_nothing(work, capsys):
    out = work / "new.zarr"
    assert main(_run(work, "theory.yaml", "new.zarr", "--scheduler", "tcp://127.0.0.1:9")) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "tcp://127.0.0.1:9" in err, err
    assert not out.exists()
