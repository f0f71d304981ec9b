"""Progress of a run, suited to where it runs: a live bar in a Jupyter notebook, printed lines
in a terminal, nothing when quiet.

In a notebook the bar is tqdm's notebook frontend when tqdm and ipywidgets are installed,
otherwise an HTML ``<progress>`` bar updated in place through IPython's display handles
(works in any frontend and in a saved notebook); the Dask dashboard link is shown as a link.
The graph calls :meth:`Progress.thresholds` and :meth:`Progress.point` as tasks finish.
"""

from __future__ import annotations

import html
import importlib.util
import sys
import time

__all__ = [
    "HTMLBar",
    "Lines",
    "Progress",
    "Silent",
    "TqdmBar",
    "in_notebook",
    "make_progress",
    "shows_progress",
]


def in_notebook() -> bool:
    """True inside a Jupyter kernel (an IPython shell that has a kernel), False in a terminal,
    a plain script or an IPython terminal."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class Progress:
    """What a run reports: the dashboard link, the threshold operators, each final point."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.t0 = time.perf_counter()

    @property
    def elapsed(self) -> float:
        """Seconds since the run started."""
        return time.perf_counter() - self.t0

    def dashboard(self, link: str) -> None:
        """The Dask dashboard of the cluster ('' when it has none)."""

    def thresholds(self, count: int) -> None:
        """count threshold operators are ready."""

    def point(self, mu2: float, nf: int) -> None:
        """The final operator of (mu2 in GeV^2, nf) is written."""
        self.done += 1

    def close(self) -> None:
        """The run ended (done or failed)."""

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Silent(Progress):
    """Nothing at all (``--quiet``, ``quiet=True``)."""


class Lines(Progress):
    """One printed line per event (a terminal, a log file)."""

    def dashboard(self, link: str) -> None:
        print(f"ekodask: dashboard at {link or '(none: the cluster has no dashboard)'}", flush=True)

    def thresholds(self, count: int) -> None:
        print(f"thresholds: {count} operator(s) ready ({self.elapsed:.1f} s)", flush=True)

    def point(self, mu2: float, nf: int) -> None:
        super().point(mu2, nf)
        print(
            f"[{self.done}/{self.total}] final mu2={mu2:g} nf={nf} ({self.elapsed:.1f} s)",
            flush=True,
        )


def _dashboard_html(link: str) -> str:
    if not link:
        return "<p>Dask dashboard: none (the cluster was started without one)</p>"
    url = html.escape(link, quote=True)
    return f'<p>Dask dashboard: <a href="{url}" target="_blank">{url}</a></p>'


class HTMLBar(Progress):
    """An HTML progress bar in a notebook cell, updated in place (no ipywidgets needed)."""

    def __init__(self, total: int) -> None:
        super().__init__(total)
        from IPython.display import HTML, DisplayHandle, display

        self._html = HTML
        self._display = display
        self._note = "starting"
        self._handle = DisplayHandle()
        self._handle.display(HTML(self._text()))

    def _text(self) -> str:
        return (
            f'<div class="ekodask-progress"><progress value="{self.done}" max="{self.total}">'
            f"</progress> {self.done}/{self.total} final operators; "
            f"{html.escape(self._note)} ({self.elapsed:.1f} s)</div>"
        )

    def _refresh(self) -> None:
        self._handle.update(self._html(self._text()))

    def dashboard(self, link: str) -> None:
        self._display(self._html(_dashboard_html(link)))

    def thresholds(self, count: int) -> None:
        self._note = f"{count} threshold operator(s) ready"
        self._refresh()

    def point(self, mu2: float, nf: int) -> None:
        super().point(mu2, nf)
        self._note = f"last: mu2={mu2:g} GeV^2, nf={nf}"
        self._refresh()

    def close(self) -> None:
        if self.done == self.total:
            self._note = "done"
        self._refresh()


class TqdmBar(HTMLBar):
    """tqdm's notebook bar (needs tqdm and ipywidgets)."""

    def __init__(self, total: int) -> None:
        Progress.__init__(self, total)
        from IPython.display import HTML, display
        from tqdm.notebook import tqdm

        self._html, self._display = HTML, display
        self._bar = tqdm(total=total, desc="ekodask", unit="final")

    def thresholds(self, count: int) -> None:
        self._bar.set_postfix_str(f"{count} threshold operator(s) ready")

    def point(self, mu2: float, nf: int) -> None:
        Progress.point(self, mu2, nf)
        self._bar.set_postfix_str(f"mu2={mu2:g} nf={nf}")
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()


def _has_tqdm_notebook() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("tqdm", "ipywidgets"))


def shows_progress(quiet: bool | None) -> bool:
    """Whether a run reports anything: quiet=False always, None only in a notebook."""
    return quiet is False or (quiet is None and in_notebook())


def make_progress(total: int, quiet: bool | None) -> Progress:
    """The reporter for a run of ``total`` final operators.

    quiet=True: nothing; quiet=False: a bar in a notebook, lines elsewhere; quiet=None (the
    Python API's default): a bar in a notebook, nothing elsewhere.
    """
    if total == 0 or not shows_progress(quiet):
        return Silent(total)
    if in_notebook():
        return TqdmBar(total) if _has_tqdm_notebook() else HTMLBar(total)
    return Lines(total)
