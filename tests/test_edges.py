"""Where cards and commands meet the plan: validation once, one-line errors, no stray stores."""

import time

import numpy as np
import pytest

from ekodask import graph
from ekodask.cards import OperatorCard, TheoryCard, load_theory
from ekodask.cli import main
from ekodask.errors import CardError, EkodaskError


def _count_validations(monkeypatch) -> dict:
    calls = {"theory": 0, "operator": 0}
    for name, cls in (("theory", TheoryCard), ("operator", OperatorCard)):
        real = cls.from_dict.__func__

        def counting(klass, data, defaults=True, _real=real, _name=name):
            calls[_name] += 1
            return _real(klass, data, defaults)

        monkeypatch.setattr(cls, "from_dict", classmethod(counting))
    return calls


def test_partial_command_validates_each_card_once(tmp_path, monkeypatch, small_card_files):
    calls = _count_validations(monkeypatch)
    out = str(tmp_path / "p.zarr")
    assert main(["partial", *small_card_files, "--mu2", "100.0", "-o", out, "-q"]) == 0
    assert calls == {"theory": 1, "operator": 1}


def test_run_validates_each_card_once(tmp_path, monkeypatch, small_card_files):
    calls = _count_validations(monkeypatch)
    out = str(tmp_path / "r.zarr")
    assert main(["run", *small_card_files, "-o", out, "-q", "--scheduler", "synchronous"]) == 0
    assert calls == {"theory": 1, "operator": 1}


def test_partial_of_a_scale_not_in_the_grid_is_refused(tmp_path, small_cards):
    out = tmp_path / "p.zarr"
    with pytest.raises(CardError, match=r"mu2grid.*mu2 = 50\.0 is not in the grid"):
        graph.compute_partial(*small_cards, str(out), 50.0)
    with pytest.raises(CardError, match="nf = 3"):
        graph.compute_partial(*small_cards, str(out), 100.0, nf=3)
    assert not out.exists()


def test_unknown_scheduler_is_one_line_error(tmp_path, small_cards):
    out = tmp_path / "e.zarr"
    with pytest.raises(EkodaskError, match="scheduler 'foo'") as exc:
        graph.run(*small_cards, str(out), scheduler="foo")
    assert not isinstance(exc.value, ValueError) and "\n" not in str(exc.value)
    assert not out.exists()


def test_unreachable_scheduler_fails_fast_and_writes_nothing(tmp_path, small_cards):
    out = tmp_path / "e.zarr"
    t0 = time.perf_counter()
    with pytest.raises(EkodaskError, match=r"tcp://127\.0\.0\.1:9") as exc:
        graph.run(*small_cards, str(out), scheduler="tcp://127.0.0.1:9", connect_timeout=2.0)
    assert time.perf_counter() - t0 < 10.0
    assert "\n" not in str(exc.value)
    assert not out.exists()


def test_thresholds_task_prints_progress(tmp_path, capsys, small_cards):
    graph.run(*small_cards, str(tmp_path / "e.zarr"), scheduler="synchronous", quiet=False)
    out = capsys.readouterr().out
    assert "thresholds: 2 operator(s) ready" in out and "[2/2] final" in out
    graph.run(*small_cards, str(tmp_path / "f.zarr"), scheduler="synchronous", quiet=True)
    assert capsys.readouterr().out == ""


def test_binary_card_file_names_the_file(tmp_path):
    card = tmp_path / "theory.yaml"
    card.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    with pytest.raises(CardError, match=r"theory card: file '.*theory\.yaml'"):
        load_theory(str(card))


def test_card_messages_print_plain_numbers():
    with pytest.raises(CardError) as exc:
        load_theory({"masses": [np.float64(5.0), np.float64(4.5), 175.0]})
    assert "np.float64" not in str(exc.value) and "[5.0, 4.5, 175.0]" in str(exc.value)
    with pytest.raises(CardError) as exc:
        load_theory({"alphas": np.float64(5.0)})
    assert "np.float64" not in str(exc.value) and "got 5.0" in str(exc.value)


def test_stored_errors_propagate_through_the_combine(tmp_path, small_cards):
    # every piece carries its inversion-error bound; the final's equals the one combine formula
    from ekodask.contraction import combine
    from ekodask.store import EKOStore

    path = str(tmp_path / "e.zarr")
    graph.run(*small_cards, path, scheduler="synchronous", keep_partials=True)
    st = EKOStore(path)
    for p in st.finals():
        op, start = st.read_partial(p)
        assert st.has_error("partials", p) and st.has_error("finals", p)
        thr = st.read_threshold(start)
        want_op, want_err = combine(
            op, thr, st.read_error("partials", p), st.read_error("thresholds", start)
        )
        np.testing.assert_array_equal(st.read_final(p), want_op)
        np.testing.assert_array_equal(st.read_error("finals", p), want_err)
        assert 0.0 < want_err.max() < 1e-3
