"""The scaling report: table and plot from measurements (the measurements run on demand only)."""

import pytest

from ekodask.benchmarks.scaling import CONFIGS, markdown_table, plot


def _fake():
    rows = {
        g: [
            {
                "nx": nx,
                "n_mu2": n,
                "workers": w,
                "wall_s": 1.0 + i,
                "client_peak_mib": 100.0,
                "worker_peak_mib": 150.0 + i,
            }
            for i, (_, nx, n, w) in enumerate(cfgs)
        ]
        for g, cfgs in CONFIGS.items()
    }
    return {"date": "2026-01-01", "machine": "test", "rows": rows}


def test_table_has_every_configuration():
    table = markdown_table(_fake())
    assert table.count("\n| ") == 2 + sum(len(c) for c in CONFIGS.values())
    assert "| nx | 120 | 1 | 1 | 3.0 | 100 | 152 |" in table


def test_plot_writes_png(tmp_path):
    pytest.importorskip("matplotlib")
    plot(_fake(), tmp_path / "s.png")
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
