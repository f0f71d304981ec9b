"""The scaling report: rows, ratios, table and plot (the measurements themselves run on demand)."""

import pytest

from ekodask.benchmarks.scaling import RATIOS, ROWS, cards, markdown_table, plot, ratios


def _fake():
    rows = {}
    groups = {}
    for i, (group, label, spec) in enumerate(ROWS):
        rows[label] = {
            **spec,
            "label": label,
            "cores": spec.get("cores", 2),
            "process_s": 2.0 + i,
            "run_s": 1.0 + i,
            "cpu_s": 1.5 + i,
            "peak_mib": 100.0 + i,
            "children_peak_mib": 0.0,
        }
        groups.setdefault(group, []).append(label)
    result = {
        "date": "2026-01-01",
        "machine": "test",
        "load": (1.0, 1.0, 1.0),
        "groups": groups,
        "rows": rows,
    }
    result["ratios"] = ratios(rows)
    return result


def test_ratios_against_targets():
    rows = {"1 mu2": {"process_s": 2.0}, "20 mu2": {"process_s": 2.4}, "200 mu2": {"process_s": 7}}
    q = ratios(rows)
    assert q["20 mu2 / 1 mu2"]["value"] == pytest.approx(1.2) and q["20 mu2 / 1 mu2"]["ok"]
    assert q["200 mu2 / 1 mu2"]["value"] == pytest.approx(3.5)
    assert q["200 mu2 / 1 mu2"]["ok"] is False
    assert set(q) == {"20 mu2 / 1 mu2", "200 mu2 / 1 mu2"}  # only measured rows


def test_table_has_every_row_and_ratio():
    table = markdown_table(_fake())
    assert table.count("\n| ") == 2 + len(ROWS) + 2 + len(RATIOS)
    assert "| 1 mu2 | 60 | 1 | 2 | threads | 2.00 | 1.00 | 1.50 | 100 |" in table
    assert "| 20 mu2 / 1 mu2 | 1.50 | 1.67 | <= 1.3 (missed) |" in table


def test_cards_span_two_flavour_patches():
    theory, operator = cards(30, 20)
    assert theory["order"] == 3 and len(operator["xgrid"]) == 30
    mu2 = operator["mu2grid"]
    assert len(mu2) == 20 and min(mu2) < 4.5**2 < max(mu2) == pytest.approx(1e4)
    assert cards(60, 1)[1]["mu2grid"] == [1e4]


def test_plot_writes_png(tmp_path):
    pytest.importorskip("matplotlib")
    plot(_fake(), tmp_path / "s.png")
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
