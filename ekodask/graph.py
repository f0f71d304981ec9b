"""The Dask graph: one thresholds task, one partial task and one combine task per evolution point.

The only module that imports Dask, the physics bridge (:mod:`ekodask.operators`) and the store.
:func:`plan` is pure; :func:`build_graph` turns a plan into delayed tasks without computing
anything; :func:`run` computes them on the chosen scheduler. Every task writes its own result
into the store on the worker that made it and hands back only what its dependents need: the
thresholds task its operators (shared by all combine tasks of a worker, sent once per worker),
a partial task its operator (to the combine task, usually on the same worker), a combine task a
small dict. The client never holds an operator.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import operators as _ops
from . import store as _store
from .cards import OperatorCard, TheoryCard, compat_dict, load_cards
from .pids import PIDS

__all__ = [
    "Plan",
    "build_graph",
    "combine_store",
    "compute_partial",
    "compute_thresholds",
    "plan",
    "run",
]

Point = tuple[float, int]
Key = tuple[float, int]


@dataclass(frozen=True)
class Plan:
    """What a run must compute: evolution points, the threshold each one starts from."""

    theory: TheoryCard
    operator: OperatorCard
    points: tuple[Point, ...]
    starts: dict[Point, Key | None]
    thresholds: tuple[Key, ...]


def plan(theory: TheoryCard, operator: OperatorCard) -> Plan:
    """The evolution points of the cards and the threshold operator each partial needs."""
    points = tuple(_ops.evolution_points(theory, operator))
    starts = {p: _ops.partial_start(theory, operator, *p) for p in points}
    return Plan(
        theory=theory,
        operator=operator,
        points=points,
        starts=starts,
        thresholds=tuple(_ops.thresholds_needed(theory, operator)),
    )


def _metadata(theory: TheoryCard, operator: OperatorCard) -> dict[str, Any]:
    return {"theory": theory.to_dict(), "operator": operator.to_dict()}


def _open_store(theory: TheoryCard, operator: OperatorCard, path: str) -> _store.EKOStore:
    """Create the store, or reopen it to resume when its cards are compatible."""
    _store.create(
        path,
        metadata=_metadata(theory, operator),
        compat=compat_dict(theory, operator),
        xgrid=np.asarray(operator.xgrid),
        pids=PIDS,
    )
    return _store.EKOStore(path)


# --------------------------------------------------------------------------------------------
# tasks: module-level functions so that every scheduler can pickle them by reference


def thresholds_task(path: str, theory: dict, operator: dict) -> dict[Key, np.ndarray]:
    """Compute (or load, when present) every threshold operator; writes the missing ones."""
    t, o = load_cards(theory, operator)
    st = _store.EKOStore(path)
    needed = _ops.thresholds_needed(t, o)
    if all(st.has_threshold(k) for k in needed):
        return {k: st.read_threshold(k) for k in needed}
    ops = _ops.threshold_operators(t, o)
    for key, op in ops.items():
        if not st.has_threshold(key):
            st.write_threshold(key, op)
    return ops


def partial_task(path: str, theory: dict, operator: dict, point: Point) -> np.ndarray:
    """Compute (or load, when present) the partial operator of one evolution point; writes it."""
    t, o = load_cards(theory, operator)
    st = _store.EKOStore(path)
    if st.has_partial(point):
        return st.read_partial(point)[0]
    op = _ops.partial_operator(t, o, *point)
    st.write_partial(point, op, start=_ops.partial_start(t, o, *point))
    return op


def combine_task(
    path: str, point: Point, start: Key | None, partial: np.ndarray, thresholds: dict | None
) -> dict[str, Any]:
    """Join a partial with its threshold operator into the final one; writes it."""
    from .matching import combine

    t0 = time.perf_counter()
    final = partial if start is None else combine(partial, thresholds[start])
    _store.EKOStore(path).write_final(point, final)
    return {"mu2": point[0], "nf": point[1], "seconds": time.perf_counter() - t0}


# --------------------------------------------------------------------------------------------


def _label(point: Point) -> str:
    return f"{point[0]!r}-nf{point[1]}"


def build_graph(pl: Plan, path: str) -> list:
    """Delayed combine tasks for every point whose final is not yet in the store.

    Nothing is computed here; the store is only read (what is already present) and created.
    """
    import dask

    st = _open_store(pl.theory, pl.operator, path)
    todo = [p for p in pl.points if not st.has_final(p)]
    if not todo:
        return []
    theory, operator = pl.theory.to_dict(), pl.operator.to_dict()
    token = pl.theory.hash[:8] + pl.operator.hash[:8]
    thr = None
    if any(pl.starts[p] is not None for p in todo):
        thr = dask.delayed(thresholds_task, pure=False)(
            path, theory, operator, dask_key_name=f"thresholds-{token}"
        )
    out = []
    for p in todo:
        part = dask.delayed(partial_task, pure=False)(
            path, theory, operator, p, dask_key_name=f"partial-{_label(p)}-{token}"
        )
        start = pl.starts[p]
        out.append(
            dask.delayed(combine_task, pure=False)(
                path,
                p,
                start,
                part,
                thr if start is not None else None,
                dask_key_name=f"combine-{_label(p)}-{token}",
            )
        )
    return out


@contextlib.contextmanager
def _local_progress(n: int, quiet: bool) -> Iterator[None]:
    """Print one line per completed evolution point on the local schedulers."""
    if quiet or n == 0:
        yield
        return
    from dask.callbacks import Callback

    done = [0]
    t0 = time.perf_counter()

    def posttask(key, result, dsk, state, worker_id):
        if isinstance(key, str) and key.startswith("combine-"):
            done[0] += 1
            mu2, nf = result["mu2"], result["nf"]
            elapsed = time.perf_counter() - t0
            print(f"[{done[0]}/{n}] final mu2={mu2:g} nf={nf} ({elapsed:.1f} s)", flush=True)

    with Callback(posttask=posttask):
        yield


def run(
    theory: Any = None,
    operator: Any = None,
    path: str = "eko.zarr",
    *,
    client: Any = None,
    scheduler: str | None = None,
    quiet: bool = True,
) -> _store.EKO:
    """Compute every missing operator of the cards into ``path``; return the store opened lazily.

    ``client``: a ``distributed.Client``; ``scheduler``: "threads" (default), "processes",
    "synchronous", or the address of a running dask.distributed scheduler.
    """
    import dask

    t, o = load_cards(theory, operator)
    path = str(path)
    tasks = build_graph(plan(t, o), path)
    if not tasks and not quiet:
        print(f"ekodask: every final operator of the cards is already in {path}", flush=True)
    if scheduler is not None and "://" in scheduler:
        from distributed import Client

        with Client(scheduler) as own:
            _compute_distributed(own, tasks, quiet)
    elif client is not None:
        _compute_distributed(client, tasks, quiet)
    else:
        with _local_progress(len(tasks), quiet):
            dask.compute(*tasks, scheduler=scheduler or "threads")
    return _store.open(path)


def _compute_distributed(client: Any, tasks: list, quiet: bool) -> None:
    from distributed import as_completed

    if not quiet:
        print(f"ekodask: dashboard at {client.dashboard_link}", flush=True)
    futures = client.compute(tasks, retries=2)
    n = len(futures)
    for i, fut in enumerate(as_completed(futures), start=1):
        res = fut.result()
        if not quiet:
            print(f"[{i}/{n}] final mu2={res['mu2']:g} nf={res['nf']}", flush=True)


# --------------------------------------------------------------------------------------------
# the separate-process commands: no Dask at all


def compute_thresholds(theory: Any, operator: Any, path: str, *, quiet: bool = True) -> list:
    """Compute only the threshold operators of the cards into ``path``."""
    t, o = load_cards(theory, operator)
    _open_store(t, o, str(path))
    keys = list(thresholds_task(str(path), t.to_dict(), o.to_dict()))
    if not quiet:
        print(f"wrote {len(keys)} threshold operator(s) to {path}")
    return keys


def compute_partial(
    theory: Any, operator: Any, path: str, mu2: float, nf: int | None = None, *, quiet: bool = True
) -> Point:
    """Compute only the partial operator of one mu2 (nf: where mu2 sits on a threshold)."""
    t, o = load_cards(theory, operator)
    entry = float(mu2) if nf is None else [float(mu2), int(nf)]
    o = OperatorCard.from_dict({**o.to_dict(), "mu2grid": [entry]}, defaults=False)
    (point,) = _ops.evolution_points(t, o)
    _open_store(t, o, str(path))
    partial_task(str(path), t.to_dict(), o.to_dict(), point)
    if not quiet:
        print(f"wrote the partial operator of mu2={point[0]:g} nf={point[1]} to {path}")
    return point


def combine_store(path: str) -> list:
    """Compute every final operator whose partial and threshold are in the store."""
    from .matching import combine

    return _store.combine(str(path), contraction=combine)
