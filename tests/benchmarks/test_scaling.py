"""The scaling report: rows, ratios, table and plot (the measurements themselves run on demand)."""

import pytest

from ekodask.benchmarks.scaling import RATIOS, ROWS, cards, marginal, markdown_table, plot, ratios


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


def test_marginal_cost_of_a_mu2():
    # arithmetic of the definition: (200 - 20 mu2) / 180 and 1 mu2 less that
    rows = {
        "1 mu2": {"process_s": 0.9, "cpu_s": 1.0},
        "20 mu2": {"process_s": 1.3, "cpu_s": 2.0},
        "200 mu2": {"process_s": 4.9, "cpu_s": 8.3},
    }
    m = marginal(rows)
    assert m["per_mu2_ms"] == pytest.approx(20.0) and m["per_mu2_cpu_ms"] == pytest.approx(35.0)
    assert m["fixed_s"] == pytest.approx(0.88)
    assert marginal({"1 mu2": rows["1 mu2"]}) is None
    table = markdown_table({**_fake(), "marginal": m})
    assert "One more mu2 (200 vs 20 mu2, nx = 60, 2 cores): 20.0 ms of wall (35.0 ms" in table
    assert "(1 mu2 less one): 0.88 s." in table
    # the same figures of the rows without error bounds, from their own labels only
    bare = {
        f"{k} no bounds": {"process_s": v["process_s"] / 2, "cpu_s": v["cpu_s"]}
        for k, v in rows.items()
    }
    assert marginal(rows, " no bounds") is None
    m2 = marginal({**rows, **bare}, " no bounds")
    assert m2["per_mu2_ms"] == pytest.approx(10.0) and m2["fixed_s"] == pytest.approx(0.44)
    table = markdown_table({**_fake(), "marginal_no_bounds": m2})
    assert "(200 vs 20 mu2, nx = 60, 2 cores, without error bounds): 10.0 ms of wall" in table


def test_table_has_every_row_and_ratio():
    table = markdown_table(_fake())
    assert table.count("\n| ") == 2 + len(ROWS) + 2 + len(RATIOS)
    assert "| 1 mu2 | 60 | 1 | 2 | threads | 2.00 | 1.00 | 1.50 | 100 |" in table
    assert "| 20 mu2 / 1 mu2 | 1.50 | 1.67 | <= 1.3 (missed) |" in table


def test_cards_span_two_flavour_patches():
    theory, operator = cards(30, 20)
    assert theory["order"] == 3 and len(operator["xgrid"]) == 30
    assert "error_bounds" not in operator and cards(30, 20, False)[1]["error_bounds"] is False
    mu2 = operator["mu2grid"]
    assert len(mu2) == 20 and min(mu2) < 4.5**2 < max(mu2) == pytest.approx(1e4)
    assert cards(60, 1)[1]["mu2grid"] == [1e4]


def test_plot_writes_png(tmp_path):
    pytest.importorskip("matplotlib")
    plot(_fake(), tmp_path / "s.png")
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
