"""Text and HTML displays of an opened store, drawn from :func:`ekodask.store.summary.summarize`
(the same data ``ekodask inspect`` prints): a compact ``__repr__`` and a ``_repr_html_`` table
for Jupyter. Metadata only, no operator is read.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from ekodask.store._layout import ROLES
from ekodask.store.summary import PieceNote, StoreSummary, summarize
from ekodask.store.tools import _flat, piece_note

if TYPE_CHECKING:
    from ekodask.store.reader import EKO

__all__ = ["eko_html", "eko_repr", "state_text"]

CSS_CLASS = "ekodask-summary"
"""class of the HTML table (tests and style sheets look for it)."""


def _g(x: float) -> str:
    return f"{x:.4g}"


def points_text(pieces: tuple[PieceNote, ...]) -> str:
    """'nf=4: 3 at mu2 10 .. 1000; nf=5: 1 at mu2 1e+04' (GeV^2) of some listed pieces."""
    by_nf: dict[int, list[float]] = {}
    for p in pieces:
        by_nf.setdefault(p.key[1], []).append(p.key[0])
    parts = []
    for nf, mu2 in sorted(by_nf.items()):
        where = _g(mu2[0]) if len(mu2) == 1 else f"{_g(min(mu2))} .. {_g(max(mu2))}"
        parts.append(f"nf={nf}: {len(mu2)} at mu2 {where}")
    return "; ".join(parts) or "none"


def state_text(summary: StoreSummary, *, long: bool = False) -> str:
    """'complete', or what is damaged, missing, in flight or moved aside."""
    out = []
    if summary.damaged:
        out.append(f"{len(summary.damaged)} damaged (`ekodask verify --fix`)")
    if summary.missing:
        out.append(f"{len(summary.missing)} missing")
    if summary.in_flight:
        out.append(f"{summary.in_flight} being written")
    if summary.moved_aside:
        out.append(f"{summary.moved_aside} moved aside")
    if out:
        return ", ".join(out)
    return "complete (metadata only; `ekodask verify` decodes the data)" if long else "complete"


def _size(nbytes: int | None) -> str:
    return "unknown" if nbytes is None else f"{nbytes / 1e6:.3g} MB"


def _cards_short(metadata: dict[str, Any]) -> str:
    theory, operator = metadata.get("theory") or {}, metadata.get("operator") or {}
    parts = []
    if "order" in theory:
        parts.append(f"order {theory['order']}")
    parts += [str(v) for v in (theory.get("scheme"), operator.get("method")) if v]
    return " ".join(parts)


def eko_repr(eko: EKO) -> str:
    """One line: path, finals and their points, partials, thresholds, cards, grid, size, state."""
    s = summarize(eko, notes=False)
    x = s.info["xgrid"]
    n = {r: len(s.pieces[r]) for r in ROLES}
    cards = _cards_short(s.metadata)
    return (
        f"EKO({s.path!r}: {n['finals']} finals ({points_text(s.pieces['finals'])}), "
        f"{n['partials']} partials, {n['thresholds']} thresholds; "
        + (f"{cards}; " if cards else "")
        + f"nx={len(x)} in [{_g(x[0])}, {_g(x[-1])}]; {_size(s.nbytes)}; {state_text(s)})"
    )


def _row(*cells: str, head: bool = False) -> str:
    tag = "th" if head else "td"
    return "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"


def _table(rows: list[str], extra: str = "") -> str:
    return f'<table class="{CSS_CLASS}"{extra}>' + "".join(rows) + "</table>"


def _details(title: str, body: str) -> str:
    return f"<details><summary>{html.escape(title)}</summary>{body}</details>"


def eko_html(eko: EKO) -> str:
    """HTML of an opened store: a summary table (cards, x-grid, pieces and their points, size
    on disk, state), the cards and every listed piece in collapsible sections."""
    s = summarize(eko)
    x = s.info["xgrid"]
    state = state_text(s, long=True)
    rows = [
        _row("store", s.path),
        _row("cards", _cards_short(s.metadata) or "-"),
        _row("x-grid", f"{len(x)} points from {x[0]!r} to {x[-1]!r}"),
        _row("pids", " ".join(str(p) for p in s.info["pids"])),
        *(_row(role, f"{len(s.pieces[role])}: {points_text(s.pieces[role])}") for role in ROLES),
        _row("size on disk", _size(s.nbytes)),
        _row("state", state),
        _row(
            "written by",
            f"ekodask {s.info['ekodask_version']}, format {s.info['format_version']}, "
            f"compat sha256 {s.info['compat_sha256'][:12]}",
        ),
    ]
    parts = [_table(rows)]
    for name in ("theory", "operator"):
        card = s.metadata.get(name)
        if isinstance(card, dict):
            body = _table([_row(k, v) for k, v in _flat(card)])
            parts.append(_details(f"{name} card", body))
    listing = [_row("role", "mu2 / GeV^2", "nf", "note", head=True)]
    for role in ROLES:
        for p in s.pieces[role]:
            listing.append(
                _row(role[:-1], repr(p.key[0]), str(p.key[1]), piece_note(role, p).strip())
            )
    parts.append(_details(f"pieces ({sum(len(v) for v in s.pieces.values())})", _table(listing)))
    if s.missing:
        items = "".join(f"<li>{html.escape(str(f))}</li>" for f in s.missing)
        parts.append(_details(f"missing ({len(s.missing)})", f"<ul>{items}</ul>"))
    return '<div class="ekodask-eko">' + "".join(parts) + "</div>"
