"""Progress reporting: lines in a terminal, a bar in a notebook, nothing when quiet.

The notebook frontends are checked here with IPython's display calls recorded, and for real
in tests/test_notebooks.py (the executed notebooks hold the bar and the dashboard link).
"""

from __future__ import annotations

import pytest

from ekodask import graph, progress
from ekodask.cli import main


def test_terminal_lines_and_quiet(capsys, tmp_path, small_card_files):
    assert main(["run", *small_card_files, "-o", str(tmp_path / "a.zarr")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("thresholds: 2 operator(s) ready (")
    # the counter runs in order; the points arrive in whichever order the threads finish them
    done = [line.split(" (")[0].split("] ", 1) for line in lines[1:]]
    assert [count for count, _ in done] == ["[1/2", "[2/2"]
    assert sorted(point for _, point in done) == ["final mu2=10 nf=4", "final mu2=100 nf=5"]
    assert main(["run", *small_card_files, "-o", str(tmp_path / "b.zarr"), "--quiet"]) == 0
    assert capsys.readouterr().out == ""


def test_python_api_is_silent_outside_a_notebook_by_default(capsys, tmp_path, small_cards):
    graph.run(*small_cards, str(tmp_path / "a.zarr"), scheduler="synchronous")
    assert capsys.readouterr().out == ""


def test_choice_of_frontend(monkeypatch):
    monkeypatch.setattr(progress, "in_notebook", lambda: False)
    assert type(progress.make_progress(3, None)) is progress.Silent
    assert type(progress.make_progress(3, False)) is progress.Lines
    assert type(progress.make_progress(3, True)) is progress.Silent
    assert type(progress.make_progress(0, False)) is progress.Silent
    monkeypatch.setattr(progress, "in_notebook", lambda: True)
    recorder = _record_ipython(monkeypatch)
    monkeypatch.setattr(progress, "_has_tqdm_notebook", lambda: False)
    assert type(progress.make_progress(3, None)) is progress.HTMLBar
    assert type(progress.make_progress(3, False)) is progress.HTMLBar
    assert type(progress.make_progress(3, True)) is progress.Silent
    assert recorder  # the bars displayed themselves


def test_not_a_notebook_here():
    assert progress.in_notebook() is False  # pytest is no Jupyter kernel


def _record_ipython(monkeypatch) -> list:
    """Record what IPython would display: ('display' | 'update', html text)."""
    display_mod = pytest.importorskip("IPython.display")
    events: list = []

    class Handle:
        def display(self, obj):
            events.append(("display", obj.data))

        def update(self, obj):
            events.append(("update", obj.data))

    monkeypatch.setattr(display_mod, "DisplayHandle", Handle)
    monkeypatch.setattr(display_mod, "display", lambda obj: events.append(("show", obj.data)))
    return events


def test_html_bar_updates_in_place_and_links_the_dashboard(monkeypatch):
    events = _record_ipython(monkeypatch)
    with progress.HTMLBar(2) as bar:
        bar.dashboard("http://127.0.0.1:8787/status")
        bar.thresholds(3)
        bar.point(10.0, 4)
        bar.point(1e4, 5)
    kinds = [k for k, _ in events]
    assert kinds == ["display", "show", "update", "update", "update", "update"]
    assert events[1][1] == (
        '<p>Dask dashboard: <a href="http://127.0.0.1:8787/status" target="_blank">'
        "http://127.0.0.1:8787/status</a></p>"
    )
    assert '<progress value="0" max="2">' in events[0][1]
    assert "3 threshold operator(s) ready" in events[2][1]
    assert '<progress value="1" max="2">' in events[3][1] and "mu2=10 GeV^2, nf=4" in events[3][1]
    assert '<progress value="2" max="2">' in events[-1][1] and "; done (" in events[-1][1]


def test_html_bar_without_dashboard_says_so(monkeypatch):
    events = _record_ipython(monkeypatch)
    progress.HTMLBar(1).dashboard("")
    assert "none" in events[-1][1] and "<a " not in events[-1][1]


def test_lines_dashboard(capsys):
    progress.Lines(1).dashboard("http://h:1/status")
    assert capsys.readouterr().out == "ekodask: dashboard at http://h:1/status\n"


def test_tqdm_notebook_bar(monkeypatch):
    pytest.importorskip("ipywidgets")  # tqdm's notebook frontend needs it
    pytest.importorskip("tqdm")
    bar = progress.TqdmBar(2)
    bar.point(10.0, 4)
    bar.point(100.0, 4)
    assert bar._bar.n == 2
    bar.close()
