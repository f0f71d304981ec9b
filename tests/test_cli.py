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
        ("order: 5\n", "order"),
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


# -- one line and exit 2 on bad files and paths; help; --debug anywhere ----------------------

TINY_OPERATOR = (
    "xgrid: [1.0e-4, 4.6e-4, 2.2e-3, 1.0e-2, 4.6e-2, 0.1, 0.3, 0.5, 0.7, 1.0]\n"
    "interpolation_degree: 3\n"
    "mu2grid: [10.0, 100.0]\n"
)


@pytest.fixture(scope="module")
def tiny_cards(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cards")
    (folder / "theory.yaml").write_text("order: 1\n")
    (folder / "operator.yaml").write_text(TINY_OPERATOR)
    return str(folder / "theory.yaml"), str(folder / "operator.yaml")


@pytest.fixture(scope="module")
def tiny_store(tiny_cards, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("store") / "eko.zarr")
    argv = ["run", *tiny_cards, "-o", path, "-q", "--scheduler", "synchronous", "--keep-partials"]
    assert main(argv) == 0
    return path


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("ekodask: error: "), err
    return err


def test_unwritable_output_is_one_line(tiny_cards, capsys):
    assert main(["run", *tiny_cards, "-o", "/proc/x.zarr", "-q"]) == 2
    assert "/proc/x.zarr" in one_line_error(capsys)


def test_binary_lhapdf_info_is_one_line(tiny_store, tmp_path, capsys):
    import shutil
    from pathlib import Path

    src = Path(__file__).parent / "pdfs" / "data" / "TinySet"
    pdfset = tmp_path / "TinySet"
    shutil.copytree(src, pdfset)
    (pdfset / "TinySet.info").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    assert main(["evolve-pdf", tiny_store, str(pdfset), "-o", str(tmp_path / "out")]) == 2
    err = one_line_error(capsys)
    assert "TinySet.info" in err and "not a text file" in err


def test_debug_is_accepted_after_the_subcommand(tmp_path, capsys):
    missing = str(tmp_path / "none.zarr")
    for argv in (["--debug", "inspect", missing], ["inspect", missing, "--debug"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "Traceback" in err and err.strip().endswith("directory not found")
    assert main(["inspect", missing]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_merge_prints_a_summary_and_help_says_how_to_zip(tiny_store, tmp_path, capsys):
    out = str(tmp_path / "eko.zip")
    assert main(["merge", tiny_store, "-o", out]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [f"merged 1 store(s) into {out}: 2 threshold, 2 partial, 2 final operator(s)"]
    for argv, words in (
        (["--help"], ("merge eko.zarr -o eko.zip",)),
        (["merge", "--help"], (".zip",)),
        (["inspect", "--help"], ("Metadata only", "verify")),
        (["verify", "--help"], ("--fix", ".damaged")),
        (["partial", "--help"], ("one of the card's mu2grid", "refused")),
    ):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 0
        text = " ".join(capsys.readouterr().out.split())
        assert all(w in text for w in words), (argv, text)


def test_no_message_tells_a_cli_user_to_pass_an_api_keyword():
    import pathlib

    root = pathlib.Path(__file__).parents[1] / "ekodask" / "store"
    for path in root.glob("*.py"):
        assert "pass overwrite" not in path.read_text(), path
