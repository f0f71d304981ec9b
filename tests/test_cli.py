"""The command line: help, and one-line errors with exit status 2 on bad cards."""

import subprocess
import sys

import pytest

from ekodask.cli import main


def test_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for cmd in ("run", "thresholds", "partial", "merge", "combine", "clean", "inspect"):
        assert cmd in out


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("bogus: 1\n", "bogus"),
        ("alphas: 1.5\n", "alphas"),
        ("order: 4\n", "order"),
        ("masses: [4.5, 1.5, 175.0]\n", "masses"),
        ("masses: [0.0, 4.5, 175.0]\n", "masses.0"),
        ("nf0: 5\n", "nf0"),
        ("scheme: ZM\n", "scheme"),
    ],
)
def test_bad_theory_exits_2_with_one_line(tmp_path, capsys, text, key):
    card = tmp_path / "theory.yaml"
    card.write_text(text)
    assert main(["run", str(card), "-o", str(tmp_path / "out.zarr")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and f"'{key}'" in err and str(card) in err
    assert not (tmp_path / "out.zarr").exists()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("xgrid: [0.5, 0.1, 1.0]\n", "xgrid.1"),
        ("xgrid: [0.1, 0.1, 0.5, 1.0]\n", "xgrid.1"),
        ("xgrid: [0.1, 0.5, 0.9]\n", "xgrid"),
        ("xgrid: [0.0, 0.5, 1.0]\n", "xgrid.0"),
        ("interpolation_degree: 60\n", "interpolation_degree"),
        ("mu2grid: []\n", "mu2grid"),
        ("mu2grid: [-1.0]\n", "mu2grid.0"),
        ("method: magic\n", "method"),
    ],
)
def test_bad_operator_exits_2_with_one_line(tmp_path, capsys, text, key):
    card = tmp_path / "operator.yaml"
    card.write_text(text)
    assert main(["thresholds", "conf/theory.yaml", str(card), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and f"'{key}'" in err


def test_console_script_exit_status(tmp_path):
    card = tmp_path / "theory.yaml"
    card.write_text("alphas: -1\n")
    proc = subprocess.run(
        [sys.executable, "-m", "ekodask.cli", "run", str(card)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("ekodask: error: theory card")
    assert "Traceback" not in proc.stderr


def test_store_errors_are_one_line_exit_2(tmp_path, capsys):
    missing = str(tmp_path / "none.zarr")
    for argv in (["inspect", missing], ["combine", missing], ["clean", missing]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and "none.zarr" in err
    assert not (tmp_path / "none.zarr").exists()


def test_merge_refuses_incompatible_stores(tmp_path, capsys):
    import hashlib
    import os
    from pathlib import Path

    import ekodask

    op = {"xgrid": [1e-3, 0.01, 0.1, 0.5, 1.0], "interpolation_degree": 2, "mu2grid": [10.0]}
    a, b = str(tmp_path / "a.zarr"), str(tmp_path / "b.zarr")
    ekodask.run({"order": 1}, op, a, scheduler="synchronous")
    ekodask.run({"order": 1, "alphas": 0.3}, op, b, scheduler="synchronous")

    def digest(path):
        h = hashlib.sha256()
        for root, _, files in sorted(os.walk(path)):
            for f in sorted(files):
                h.update(f.encode() + Path(root, f).read_bytes())
        return h.hexdigest()

    before = digest(a), digest(b)
    assert main(["merge", a, b, "-o", str(tmp_path / "out.zarr")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "alphas" in err
    assert (digest(a), digest(b)) == before
