"""The Dask graph: a task per threshold step, one thresholds task, and a partial and a combine
task per evolution point.

The only module that imports Dask, the physics (:mod:`ekodask.compute`) and the store. The plan
(:func:`ekodask.recipes.plan`) is pure data; tasks receive its recipes, never the cards;
:func:`build_graph` turns a plan into delayed tasks without computing
anything; :func:`run` computes them on the chosen scheduler. The thresholds and combine tasks
write their results into the store on the worker that made them; every task hands back only
what its dependents need: a step task its operator (to the thresholds task, which multiplies
the steps in order), the thresholds task its operators and errors, and each rotated for the
partials after it
(shared by all combine tasks of a worker, sent once per worker), a partial task its
evolution-basis blocks (a few hundred kB; to the combine task, usually on the same worker), a
combine task a small dict. The client never holds an operator.

A partial is stored only with ``keep_partials`` (the ``partial`` command always stores it):
the final operator of a point is what a run is for, and a run that stops is resumed from the
finals and thresholds it wrote. A partial already in the store is used as it is.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from . import store as _store
from .cards import OperatorCard, TheoryCard, compat_dict, load_cards
from .contraction import (
    BlockOperator,
    RotatedThreshold,
    combine,
    combine_blocks,
    rotate_threshold,
    round_up_bound,
)
from .errors import CardError, EkodaskError
from .parallel import blas_limited
from .physics.cache import ObjectMemo
from .pids import PIDS
from .recipes import Numerics, Plan, PointRecipe, Segment, Step, ThresholdRecipe, plan
from .thresholds import same_scale

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
Result = tuple[np.ndarray, np.ndarray | None]
Partial = Result | BlockOperator


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
# tasks: module-level functions so that every scheduler can pickle them by reference; they
# receive recipes and numerics (frozen dataclasses), never cards


def _read(st: _store.EKOStore, role: str, key: Key) -> Result:
    op = st.read_threshold(key) if role == "thresholds" else st.read_partial(key)[0]
    return op, st.read_error(role, key)


def _bounded(op: np.ndarray, err: np.ndarray | None) -> Result:
    """(op, err) with err rounded up, in place, to the bits a stored bound keeps (idempotent):
    what is stored and what later tasks receive are then the same bits (a resumed run reads
    them)."""
    return op, None if err is None else round_up_bound(err, inplace=True)


def step_task(step: Step, num: Numerics) -> Result:
    """The operator of one segment or matching on the way to a threshold."""
    from . import compute

    return compute.step_operator(step, num)


def thresholds_task(
    path: str,
    recipes: tuple[ThresholdRecipe, ...],
    num: Numerics,
    rotate: bool = True,
    steps: dict[Key, list[Result]] | None = None,
) -> dict[str, Any]:
    """Compute (or load, when present) every threshold operator; writes the missing ones.

    ``rotate``: also hand back each one prepared for the partials' blocks (``"rotated"``);
    ``steps``: the operators of the steps of missing thresholds, computed by :func:`step_task`
    in parallel (else here, one after the other).
    """
    from . import compute

    t0 = time.perf_counter()
    st = _store.EKOStore(path)
    out: dict[Key, Result] = {}
    # each write (zstd, which releases the GIL) runs in a thread of its own beside the next
    # threshold's products and the rotations; the task returns once all are stored
    with ThreadPoolExecutor(max_workers=1) as writer:
        writes = []
        for r in recipes:
            if st.has_threshold(r.key):
                out[r.key] = _read(st, "thresholds", r.key)
                continue
            prev = None if r.previous is None else out[r.previous]
            ops = None if steps is None else steps.get(r.key)
            out[r.key] = _bounded(*compute.apply_steps(r.steps, num, prev, ops))
            writes.append(writer.submit(st.write_threshold, r.key, *out[r.key]))
        done: dict[str, Any] = {"operators": out}
        if rotate:
            done["rotated"] = compute.rotated_thresholds(out)
        for w in writes:
            w.result()  # a failed write fails the task
    return {**done, "seconds": time.perf_counter() - t0}


def partial_task(path: str, point: PointRecipe, num: Numerics, keep: bool = True) -> Partial:
    """Compute (or load, when present) the partial operator of one evolution point.

    ``keep``: write it into the store and hand back (operator, error); otherwise, where the
    partial is one segment, hand back its blocks (:func:`ekodask.compute.partial_blocks`) and
    write nothing.
    """
    from . import compute

    st = _store.EKOStore(path)
    if st.has_partial(point.point):
        return _read(st, "partials", point.point)
    if not keep:
        blocks = compute.partial_blocks(point, num)
        if blocks is not None:
            return blocks
    op, err = _bounded(*compute.partial_operator(point, num))
    st.write_partial(point.point, op, err, start=point.start)
    return op, err


def thresholds_stored_task(
    path: str,
    recipes: tuple[ThresholdRecipe, ...],
    num: Numerics,
    steps: dict[Key, list[Result]] | None = None,
) -> dict[str, Any]:
    """:func:`thresholds_task` handing back only the keys: its dependents read the store."""
    done = thresholds_task(path, recipes, num, rotate=False, steps=steps)
    return {"keys": list(done["operators"]), "seconds": done["seconds"]}


def partial_stored_task(
    path: str, point: PointRecipe, num: Numerics, keep: bool = True
) -> BlockOperator | None:
    """:func:`partial_task` handing back only its blocks (small), or None: the combine task
    then reads the store."""
    out = partial_task(path, point, num, keep)
    return out if isinstance(out, BlockOperator) else None


_ROTATED = ObjectMemo(4)
"""Rotated stored thresholds kept by a process (the processes scheduler's workers, whose
combine tasks read the thresholds from the store): 4 entries, ~60 MB each at nx = 120."""


def _rotated(
    path: str, start: Key, right: np.ndarray, threshold: Any, in_memory: bool
) -> RotatedThreshold:
    """:func:`rotate_threshold` of the threshold ``start`` (``threshold()``) for ``right``;
    one read and rotation per process and stored piece, keyed by the piece's file identity."""
    ident = None if in_memory else _store.EKOStore(path).piece_identity("thresholds", start)
    if ident is None:
        return rotate_threshold(*threshold(), right)
    key = (ident, np.ascontiguousarray(right, dtype=np.float64).tobytes())
    return _ROTATED.get(key, lambda: rotate_threshold(*threshold(), right))


def combine_task(
    path: str,
    point: Point,
    start: Key | None,
    partial: Partial | None,
    thresholds: dict | None,
) -> dict[str, Any]:
    """Join a partial with its threshold operator into the final one; writes it.

    ``partial`` None: read from the store; ``thresholds`` without operators: read likewise.
    A partial given by its blocks is combined in the evolution basis
    (:func:`ekodask.contraction.combine_blocks`), the same product up to rounding.
    """
    t0 = time.perf_counter()
    if partial is None:
        partial = _read(_store.EKOStore(path), "partials", point)
    in_memory = thresholds is not None and "operators" in thresholds

    def threshold() -> Result:
        if in_memory:
            return thresholds["operators"][start]
        return _read(_store.EKOStore(path), "thresholds", start)

    if start is None:
        final, err = partial.to_flavor() if isinstance(partial, BlockOperator) else partial
        final, err = _bounded(final, err)
    elif isinstance(partial, BlockOperator):
        rotated = thresholds.get("rotated", {}).get(start) if in_memory else None
        if rotated is None or not np.array_equal(rotated.right, partial.right):
            rotated = _rotated(path, start, partial.right, threshold, in_memory)
        final, err = combine_blocks(partial, rotated)
    else:
        thr, thr_err = threshold()
        final, err = combine(partial[0], thr, partial[1], thr_err)
    _store.EKOStore(path).write_final(point, final, err)
    return {"mu2": point[0], "nf": point[1], "seconds": time.perf_counter() - t0}


# --------------------------------------------------------------------------------------------


def _label(point: Point) -> str:
    return f"{point[0]!r}-nf{point[1]}"


def _step_label(step: Step) -> str:
    if isinstance(step, Segment):
        return f"segment-{step.mu2_from!r}-{step.mu2_to!r}-nf{step.nf}"
    return f"matching-{step.mu2!r}-nf{step.nf_from}to{step.nf_to}"


def build_graph(
    pl: Plan, path: str, *, via_store: bool = False, keep_partials: bool = False
) -> list:
    """Delayed combine tasks for every point whose final is not yet in the store.

    Nothing is computed here; the store is only read (what is already present) and created.
    ``via_store``: the threshold operators (and kept partials) go from task to task through the
    store (each task reads what it needs) instead of as task results: for the processes
    scheduler, which would otherwise pickle every threshold operator into every combine task
    (measured 3.5x slower, 3.3 GB). ``keep_partials``: also store every partial operator.
    """
    import dask

    st = _open_store(pl.theory, pl.operator, path)
    todo = [p for p in pl.points if not st.has_final(p.point)]
    if not todo:
        return []
    token = pl.theory.hash[:8] + pl.operator.hash[:8]
    thr = None
    if any(p.start is not None for p in todo):
        # the steps of the missing thresholds (matchings, segments) are independent: one task
        # each, in parallel; the thresholds task only multiplies them in order. Not between
        # processes: pickling the steps' dense operators there costs more than it saves
        # (nx = 120, 2 processes: 7.8 s against 6.1 s with the steps in the thresholds task)
        steps = (
            None
            if via_store
            else {
                r.key: [
                    dask.delayed(_bound(step_task, s, pl.numerics), pure=False)(
                        dask_key_name=f"{_step_label(s)}-{token}"
                    )
                    for s in r.steps
                ]
                for r in pl.thresholds
                if not st.has_threshold(r.key)
            }
        )
        if via_store:
            task = _bound(thresholds_stored_task, path, pl.thresholds, pl.numerics)
            thr = dask.delayed(task, pure=False)(steps, dask_key_name=f"thresholds-{token}")
        else:
            task = _bound(thresholds_task, path, pl.thresholds, pl.numerics, True)
            thr = dask.delayed(task, pure=False)(steps, dask_key_name=f"thresholds-{token}")
    out = []
    for p in todo:
        task = _bound(
            partial_stored_task if via_store else partial_task, path, p, pl.numerics, keep_partials
        )
        part = dask.delayed(task, pure=False)(dask_key_name=f"partial-{_label(p.point)}-{token}")
        start = p.start
        out.append(
            dask.delayed(_bound(combine_task, path, p.point, start), pure=False)(
                part,
                thr if start is not None else None,
                dask_key_name=f"combine-{_label(p.point)}-{token}",
            )
        )
    return out


def _bound(task: Callable[..., Any], *args: Any) -> functools.partial:
    """``task`` with its plain arguments (cards' dataclasses, tuples of scales) bound in front.

    Dask walks every tuple and dataclass among a task's arguments, looking for collections:
    ~0.5 ms per task for a Point and the Numerics (x-grid included) while the graph is built.
    Bound here they are one opaque object; only the tasks' results (the other arguments) are
    dependencies.
    """
    return functools.partial(task, *args)


@contextlib.contextmanager
def _local_progress(n: int, quiet: bool | None) -> Iterator[None]:
    """Report the thresholds and each completed evolution point (local schedulers) through
    :func:`ekodask.progress.make_progress`: a bar in a notebook, lines in a terminal."""
    from .progress import Silent, make_progress

    with make_progress(n, quiet) as progress:
        if isinstance(progress, Silent):
            yield
            return
        from dask.callbacks import Callback

        def posttask(key, result, dsk, state, worker_id):
            if not isinstance(key, str):
                return
            if key.startswith("thresholds-"):
                progress.thresholds(len(result.get("operators", result.get("keys", ()))))
            elif key.startswith("combine-"):
                progress.point(result["mu2"], result["nf"])

        with Callback(posttask=posttask):
            yield


LOCAL_SCHEDULERS = ("threads", "processes", "synchronous", "sync", "single-threaded")


def _local_get(name: str) -> Any:
    """Dask's get function of the local scheduler ``name`` (one of LOCAL_SCHEDULERS).

    Passed to dask.compute as the function itself: given a name, dask.compute first imports
    dask.distributed to look for a default client (~0.15 s of every run that needs none).
    """
    if name == "threads":
        from dask.threaded import get
    elif name == "processes":
        from dask.multiprocessing import get
    else:
        from dask.local import get_sync as get
    return get


def _connect(address: str, timeout: float) -> Any:
    """A client of the dask.distributed scheduler at ``address``; one-line error if unreachable."""
    from distributed import Client

    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise EkodaskError(
            f"scheduler {address!r}: cannot connect within {timeout:g} s ({reason})"
        ) from None


def run(
    theory: Any = None,
    operator: Any = None,
    path: str = "eko.zarr",
    *,
    client: Any = None,
    scheduler: str | None = None,
    quiet: bool | None = None,
    connect_timeout: float = 10.0,
    keep_partials: bool = False,
) -> _store.EKO:
    """Compute every missing operator of the cards into ``path``; return the store opened lazily.

    ``keep_partials``: store the partial operators too (for ``ekodask combine`` elsewhere, or
    to inspect them); by default only thresholds and finals are written.

    ``client``: a ``distributed.Client``; ``scheduler``: "threads" (default), "processes",
    "synchronous", or the address (``tcp://HOST:PORT``) of a running dask.distributed scheduler,
    reached within ``connect_timeout`` seconds before anything is written. ``quiet``: True
    nothing, False progress lines (a live bar in a Jupyter notebook), None (default) the bar in
    a notebook and nothing elsewhere (:func:`ekodask.progress.make_progress`).
    """
    import dask

    from .progress import shows_progress

    remote = scheduler is not None and "://" in scheduler
    if scheduler is not None and not remote and scheduler not in LOCAL_SCHEDULERS:
        raise EkodaskError(
            f"scheduler {scheduler!r}: expected one of {', '.join(LOCAL_SCHEDULERS[:3])} "
            "or the address tcp://HOST:PORT of a running dask.distributed scheduler"
        )
    t, o = load_cards(theory, operator)
    path = str(path)
    pl = plan(t, o)
    with contextlib.ExitStack() as stack:
        if remote:
            client = stack.enter_context(_connect(scheduler, connect_timeout))
        tasks = build_graph(
            pl,
            path,
            via_store=client is None and scheduler == "processes",
            keep_partials=keep_partials,
        )
        if not tasks and shows_progress(quiet):
            print(f"ekodask: every final operator of the cards is already in {path}", flush=True)
        if client is not None:
            _compute_distributed(client, tasks, quiet)
        else:
            # one BLAS thread per Dask worker (ekodask.parallel: no oversubscription)
            with _local_progress(len(tasks), quiet), blas_limited(1):
                dask.compute(*tasks, scheduler=_local_get(scheduler or "threads"))
    return _store.open(path)


def _compute_distributed(client: Any, tasks: list, quiet: bool | None) -> None:
    from distributed import as_completed

    from .progress import make_progress

    with make_progress(len(tasks), quiet) as progress:
        progress.dashboard(client.dashboard_link or "")
        futures = client.compute(tasks, retries=2)
        for fut in as_completed(futures):
            res = fut.result()
            progress.point(res["mu2"], res["nf"])


# --------------------------------------------------------------------------------------------
# the separate-process commands: no Dask at all


def compute_thresholds(theory: Any, operator: Any, path: str, *, quiet: bool = True) -> list:
    """Compute only the threshold operators of the cards into ``path``."""
    t, o = load_cards(theory, operator)
    pl = plan(t, o)
    _open_store(t, o, str(path))
    keys = list(thresholds_task(str(path), pl.thresholds, pl.numerics, rotate=False)["operators"])
    if not quiet:
        print(f"wrote {len(keys)} threshold operator(s) to {path}")
    return keys


def _grid_point(t: TheoryCard, o: OperatorCard, mu2: float, nf: int | None) -> Point:
    """The evolution point of the cards at mu2 (and nf), or a CardError saying it is not there."""
    from .recipes import evolution_points

    found = [
        p for p in evolution_points(t, o) if same_scale(p[0], mu2) and (nf is None or p[1] == nf)
    ]
    if not found:
        want = f"mu2 = {float(mu2)!r}" + ("" if nf is None else f" with nf = {int(nf)}")
        grid = [mu2_ if nf_ is None else [mu2_, nf_] for mu2_, nf_ in o.mu2grid]
        raise CardError(f"operator card: key 'mu2grid': {want} is not in the grid {grid}")
    return max(found, key=lambda p: p[1])  # on a threshold without nf: the upper patch


def compute_partial(
    theory: Any, operator: Any, path: str, mu2: float, nf: int | None = None, *, quiet: bool = True
) -> Point:
    """Compute only the partial operator of one mu2 of the card's grid (nf: on a threshold)."""
    t, o = load_cards(theory, operator)
    point = _grid_point(t, o, mu2, nf)
    entry = next(e for e in o.mu2grid if e[0] == point[0] and e[1] in (None, point[1]))
    pl = plan(t, o, points=(point,))
    # the store holds the cards with this one entry of the grid, as a store of one point
    _open_store(t, dataclasses.replace(o, mu2grid=(entry,)), str(path))
    partial_task(str(path), pl.points[0], pl.numerics)
    if not quiet:
        print(f"wrote the partial operator of mu2={point[0]:g} nf={point[1]} to {path}")
    return point


def combine_store(path: str) -> list:
    """Compute every final operator whose partial and threshold are in the store."""
    return _store.combine(str(path))
