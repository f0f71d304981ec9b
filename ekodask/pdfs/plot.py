"""Plots of PDFs and their ratios to a reference, and of operator blocks as heat maps
(matplotlib is an optional dependency: ``pip install 'ekodask[plot]'``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["evolved_curves", "plot_evolved", "plot_operator_block", "plot_pdfs"]

Key = tuple[float, int]


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise ImportError("plotting needs matplotlib: pip install matplotlib") from err
    return plt


def plot_pdfs(
    x: NDArray[np.float64],
    curves: Mapping[str, NDArray[np.float64]],
    *,
    reference: str | None = None,
    title: str = "",
    ylabel: str = "x f(x)",
    logx: bool = True,
) -> Any:
    """Figure of ``curves`` (label -> values on ``x``), with a ratio panel when ``reference``.

    The ratio panel shows each curve divided by ``curves[reference]`` (NaN where it is 0).
    Returns the matplotlib Figure; the caller saves or shows it.
    """
    plt = _pyplot()
    x = np.asarray(x, dtype=float)
    if reference is not None and reference not in curves:
        raise KeyError(f"reference {reference!r} is not one of the curves {list(curves)}")
    if reference is None:
        fig, top = plt.subplots()
        axes = [top]
    else:
        fig, axes = plt.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
        top = axes[0]
    for label, values in curves.items():
        top.plot(x, np.asarray(values, dtype=float), label=label)
    top.set_ylabel(ylabel)
    top.set_title(title)
    top.legend()
    if reference is not None:
        ref = np.asarray(curves[reference], dtype=float)
        safe = np.where(ref != 0.0, ref, np.nan)
        for label, values in curves.items():
            axes[1].plot(x, np.asarray(values, dtype=float) / safe, label=label)
        axes[1].set_ylabel(f"ratio to {reference}")
    for ax in axes:
        if logx:
            ax.set_xscale("log")
    axes[-1].set_xlabel("x")
    return fig


def _log_edges(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Cell edges around positive knots x (sorted): geometric midpoints, mirrored at the ends."""
    lx = np.log(np.asarray(x, dtype=float))
    if lx.size == 1:
        return np.exp(np.array([lx[0] - 0.5, lx[0] + 0.5]))
    mid = 0.5 * (lx[1:] + lx[:-1])
    return np.exp(np.concatenate([[2 * lx[0] - mid[0]], mid, [2 * lx[-1] - mid[-1]]]))


def _label(point: Key) -> str:
    return f"mu2={point[0]:g} GeV^2, nf={point[1]}"


def plot_operator_block(
    eko: Any,
    point: Any,
    pid_out: int = 21,
    pid_in: int = 21,
    *,
    ax: Any = None,
    linthresh: float | None = None,
) -> Any:
    """Heat map of the block O[pid_out, x_out, pid_in, x_in] of the final operator at point.

    ``eko``: an opened store (anything with ``xgrid``, ``pids`` and ``eko[point]``); the block
    is drawn over log x_in (horizontal, at mu0) and log x_out (vertical, at mu2) on cells
    around the knots, in a symmetric-log colour scale (linear within +-linthresh, default
    1e-3 of the largest |entry|). Returns the Figure.
    """
    plt = _pyplot()
    from matplotlib.colors import SymLogNorm

    pids = [int(p) for p in eko.pids]
    for pid in (pid_out, pid_in):
        if pid not in pids:
            raise KeyError(f"pid {pid} is not one of the store's pids {pids}")
    block = np.asarray(eko[point])[pids.index(pid_out), :, pids.index(pid_in), :]
    x = np.asarray(eko.xgrid, dtype=float)
    if ax is None:
        fig, ax = plt.subplots()
    else:
        fig = ax.figure
    peak = float(np.max(np.abs(block))) or 1.0
    norm = SymLogNorm(linthresh=linthresh or 1e-3 * peak, vmin=-peak, vmax=peak, base=10)
    edges = _log_edges(x)
    mesh = ax.pcolormesh(edges, edges, block, norm=norm, cmap="RdBu_r")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("x_in (at mu0)")
    ax.set_ylabel("x_out (at mu2)")
    key = point if isinstance(point, tuple) else (float(point), "?")
    ax.set_title(f"O[{pid_out} <- {pid_in}] at {_label(key)}")
    fig.colorbar(mesh, ax=ax)
    return fig


def evolved_curves(
    eko: Any, f0: NDArray[np.float64], pid: int = 21, points: Any = None
) -> dict[str, NDArray[np.float64]]:
    """x f_pid(x, mu2) on the store's x-grid for each point (default: every final), label ->
    values. f0: f (not x f) at mu0 on ``eko.xgrid``, shape (n_pid, nx) in ``eko.pids`` order.
    """
    from .evolve import apply_operator

    pids = [int(p) for p in eko.pids]
    if pid not in pids:
        raise KeyError(f"pid {pid} is not one of the store's pids {pids}")
    x = np.asarray(eko.xgrid, dtype=float)
    f0 = np.asarray(f0, dtype=float)
    if f0.shape != (len(pids), x.size):
        raise ValueError(f"f0 has shape {f0.shape}, expected (n_pid, nx) = {(len(pids), x.size)}")
    chosen = list(eko.evolution_points) if points is None else [tuple(p) for p in points]
    return {_label(p): x * apply_operator(eko[p], f0[None])[0, pids.index(pid)] for p in chosen}


def plot_evolved(
    eko: Any,
    f0: NDArray[np.float64],
    pid: int = 21,
    *,
    points: Any = None,
    reference: Any = None,
    extra: Mapping[str, NDArray[np.float64]] | None = None,
    title: str | None = None,
) -> Any:
    """x f_pid evolved to several scales, with a panel of ratios to a reference.

    ``points``: the evolution points (default every final); ``reference``: one of them (a
    (mu2, nf) key) or the label of a curve of ``extra`` (label -> x f on ``eko.xgrid``, e.g.
    a published table or another code), default the first point. Returns the Figure.
    """
    curves = evolved_curves(eko, f0, pid, points)
    if extra:
        curves.update({k: np.asarray(v, dtype=float) for k, v in extra.items()})
    if reference is None:
        ref = next(iter(curves))
    elif isinstance(reference, tuple):
        ref = _label((float(reference[0]), int(reference[1])))
    else:
        ref = str(reference)
    return plot_pdfs(
        np.asarray(eko.xgrid, dtype=float),
        curves,
        reference=ref,
        title=f"pid {pid} evolved from mu0" if title is None else title,
        ylabel=f"x f_{pid}(x)",
    )
