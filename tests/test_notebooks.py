"""The notebooks run top to bottom (so they cannot rot); outputs are not stored.

Each runs in a kernel whose working folder and temporary folder are this test's; afterwards
nothing may have been written outside them (the test process's working folder and the
notebooks folder are unchanged). The executed notebook is rendered to HTML (nbconvert) and
must hold the store's summary table and, where a run happens, the live progress bar.
"""

import importlib.util
import os
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


WIDGET = "application/vnd.jupyter.widget-view+json"


def _has_widgets() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("tqdm", "ipywidgets"))


def _listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def _html_outputs(nb) -> list[str]:
    out = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/html")
            if text:
                out.append("".join(text) if isinstance(text, list) else text)
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, tmp_path, monkeypatch):
    # the kernel inherits TMPDIR: the notebook's tempfile store and Dask's scratch space land
    # in this test's folder, not in the system temp folder; IPython's history too
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setenv("IPYTHONDIR", str(tmp / "ipython"))
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(path, as_version=4)
    assert all(c.get("outputs", []) == [] for c in nb.cells if c.cell_type == "code")
    cwd, before, notebooks = Path.cwd(), _listing(Path.cwd()), _listing(path.parent)
    nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    assert Path.cwd() == cwd and _listing(cwd) == before, "the notebook wrote into the cwd"
    assert _listing(path.parent) == notebooks, "the notebook wrote beside itself"
    assert _listing(tmp_path) == ["tmp"], "the notebook wrote into its working folder"
    assert list(tmp.rglob("*.zarr")), "the notebook wrote its store elsewhere"

    html_outputs = _html_outputs(nb)
    summary = [h for h in html_outputs if '<table class="ekodask-summary">' in h]
    assert summary and "<td>finals</td>" in summary[0] and "<td>state</td>" in summary[0]
    if _has_widgets():  # tqdm's notebook bar, a widget
        widgets = [o for c in nb.cells for o in c.get("outputs", []) if WIDGET in o.get("data", {})]
        assert any("final" in "".join(o["data"].get("text/plain", "")) for o in widgets)
    else:  # the HTML bar: displayed once, then updated in place (the last update says done)
        bars = [h for h in html_outputs if 'class="ekodask-progress"' in h]
        assert bars and "; done (" in bars[-1]
    exporter = pytest.importorskip("nbconvert").HTMLExporter()
    page, _ = exporter.from_notebook_node(nb)
    assert '<table class="ekodask-summary">' in page
    assert "<td>size on disk</td>" in page
    if path.name == "cluster.ipynb":
        assert 'Dask dashboard: <a href="http://' in page  # the link, shown as a link
        assert "<td>finals</td><td>50: " in page
