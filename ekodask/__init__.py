"""ekodask: DGLAP Evolution Kernel Operators as a Dask graph into a Zarr store.

The public API: :func:`run`, :func:`open`, :func:`alphas`, :func:`evolve_pdf`, the cards and the
errors. Each function hands over to the module that holds the logic; heavy modules (dask, zarr,
the physics) are imported on first use, so ``import ekodask`` is cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .cards import OperatorCard, TheoryCard, load_operator, load_theory
from .errors import (
    CardError,
    EkodaskError,
    IncompatibleStoresError,
    PhysicsError,
    StoreError,
)

if TYPE_CHECKING:
    from .store import EKO


__all__ = [
    "CardError",
    "EkodaskError",
    "IncompatibleStoresError",
    "OperatorCard",
    "PhysicsError",
    "StoreError",
    "TheoryCard",
    "__version__",
    "alphas",
    "evolve_pdf",
    "load_operator",
    "load_theory",
    "open",
    "run",
]


def run(theory: Any = None, operator: Any = None, path: str = "eko.zarr", **kwargs: Any) -> EKO:
    """Compute a whole EKO into the store at ``path`` and return it opened lazily.

    ``theory``/``operator``: dicts, YAML paths or cards (None: the defaults in ``conf/``), or
    eko 0.15's runcards (recognised by their keys and translated, as ``ekodask run`` does; an
    NNPDF theory card with an eko operator card, as pineko holds them, too); keyword arguments:
    ``client=`` (a distributed.Client) or ``scheduler=`` ("threads", "processes",
    "synchronous" or a scheduler address), ``quiet=``. See :func:`ekodask.graph.run`.
    """
    from .eko_compat.commands import translate_cards
    from .graph import run as _run

    theory, operator = translate_cards(theory, operator)
    return _run(theory, operator, path, **kwargs)


def open(path: str) -> EKO:
    """Open a store lazily: metadata only, operators are read one at a time on access.

    An eko tar or folder opens read-only as :class:`ekodask.eko_compat.EkoArchive`.
    """
    from .eko_compat.reader import is_eko, open_eko

    if is_eko(path):
        return open_eko(path)
    from .store import open as _open

    return _open(path)


def alphas(theory: Any, mu2: float, nf: int | None = None, operator: Any = None) -> float:
    """alpha_s at mu_R^2 = mu2 (GeV^2) for a theory card, running as the evolution does.

    With xir != 1 (VFNS) its thresholds sit at mu_R = xir * ratio * m_h, where the PDFs change
    nf: the PEGASUS convention of the LHA scale-variation tables (hep-ph/0511119 Sec. 4.4).
    ``operator`` (a card, dict or path): run alpha_s as its solution method does, exactly or
    expanded (``ekodask.options.COUPLING_MODES``); without it exactly (the default method).
    With xif != 1 in the exponentiated scheme (the default; else the ``operator`` card's
    scvar_method) they sit at xif * ratio * m_h, as eko's; the expanded scheme leaves them.
    """
    from .cards import load_cards
    from .recipes import alphas as _alphas

    if operator is None:
        return _alphas(load_theory(theory), mu2, nf)
    t, o = load_cards(theory, operator)
    return _alphas(t, mu2, nf, o)


def evolve_pdf(eko: Any, pdfset: Any, out: str | Path, **kwargs: Any) -> Path:
    """Evolve every member of an LHAPDF set through every final operator of a store.

    See :func:`ekodask.pdfs.api.evolve_pdf`.
    """
    from .pdfs.api import evolve_pdf as _evolve_pdf

    return _evolve_pdf(eko, pdfset, out, **kwargs)
