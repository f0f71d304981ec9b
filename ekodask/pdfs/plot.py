"""Plots of PDFs and of their ratios to a reference (matplotlib is an optional dependency)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["plot_pdfs"]


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
