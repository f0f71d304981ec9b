"""ekodask: DGLAP Evolution Kernel Operators as a Dask graph into a Zarr store.

The public API of CONTRACT.md: :func:`run`, :func:`open`, :func:`alphas`, plus the cards.
Heavy modules (dask, zarr, the physics) are imported on first use, so ``import ekodask`` is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

__version__ = "0.1.0"

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

    ``theory``/``operator``: dicts, YAML paths or cards (None: the defaults in ``conf/``);
    keyword arguments: ``client=`` (a distributed.Client) or ``scheduler=`` ("threads",
    "processes", "synchronous" or a scheduler address), ``quiet=``.
    """
    from .graph import run as _run

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


def alphas(theory: Any, mu2: float, nf: int | None = None) -> float:
    """alpha_s at mu_R^2 = mu2 (GeV^2) for a theory card, running as the evolution does."""
    from .operators import alphas as _alphas

    return _alphas(load_theory(theory), mu2, nf)


def evolve_pdf(eko: Any, pdfset: Any, out: Any, **kwargs: Any) -> Any:
    """Evolve every member of an LHAPDF set through every final operator of a store.

    ``eko``: a store path or an opened EKO; ``pdfset``: the set's folder; ``out``: the new set's
    folder. alpha_s values of the new info file come from the store's theory card unless an
    ``alphas=`` callable is given. See :func:`ekodask.pdfs.evolve.evolve_pdf`.
    """
    from .pdfs.evolve import evolve_pdf as _evolve_pdf

    if not hasattr(eko, "items"):
        eko = open(eko)
    if "alphas" not in kwargs:
        theory = load_theory(eko.theory, defaults=False)

        def _alphas_of(mu2: float, nf: int | None = None) -> float:
            return alphas(theory, mu2, nf)

        kwargs["alphas"] = _alphas_of
    return _evolve_pdf(eko, pdfset, out, **kwargs)
