"""evolve_pdf on a store path or an opened EKO, with alpha_s from the store's own theory card."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["evolve_pdf"]


def evolve_pdf(eko: Any, pdfset: Any, out: str | Path, **kwargs: Any) -> Path:
    """Evolve every member of an LHAPDF set through every final operator of a store.

    ``eko``: a store path or an opened EKO; ``pdfset``: the set's folder; ``out``: the new set's
    folder. alpha_s values of the new info file come from the store's theory card unless an
    ``alphas=`` callable is given. Other keywords: see :func:`ekodask.pdfs.evolve.evolve_pdf`.
    """
    from ..cards import load_theory
    from ..recipes import alphas
    from ..store import open as open_store
    from .evolve import evolve_pdf as _evolve_pdf

    if not hasattr(eko, "items"):
        eko = open_store(eko)
    if "alphas" not in kwargs:
        theory = load_theory(eko.theory, defaults=False)

        def _alphas_of(mu2: float, nf: int | None = None) -> float:
            return alphas(theory, mu2, nf)

        kwargs["alphas"] = _alphas_of
    return _evolve_pdf(eko, pdfset, out, **kwargs)
