"""pineko's EKO step with ekodask: all operator cards of a theory in one Dask graph.

``pineko theory opcards`` writes one eko operator card per grid (its own mu_F^2 points, the same
theory, x-grid and settings); ``pineko theory ekos`` then runs eko once per card. Here the cards
that agree in everything but ``mugrid`` are computed together, one store per such group (the
threshold operators computed once), and one eko tar per card is exported from it, named like
pineko's (``<card stem>.tar``). The theory may be eko's new-style card or the NNPDF theory card
pineko reads (translated as eko's ``Legacy.new_theory`` does, notes/eko_format.md section 1.4).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..cards import _read, compat_dict, content_hash, load_cards
from ..errors import CardError
from .runcards import _default_nf, from_eko

__all__ = ["is_nnpdf_theory", "nnpdf_theory_to_eko", "run_opcards"]

_NNPDF_KEYS = {"PTO", "Q0", "alphas", "Qref", "HQ", "mc", "mb", "mt"}


def is_nnpdf_theory(data: Any) -> bool:
    """Whether a mapping looks like an NNPDF theory card (PTO, Q0, alphas, Qref, HQ, masses)."""
    return isinstance(data, Mapping) and _NNPDF_KEYS <= set(data)


def nnpdf_theory_to_eko(tcard: Mapping[str, Any]) -> dict[str, Any]:
    """eko's new-style theory card for an NNPDF theory card, as pineko's ``theory ekos`` builds it.

    PTOEKO (when set) replaces PTO, order = [PTO + 1, QED]; alpha_s at [Qref, nfref]; em_running
    as pineko sets it (Qedref = Qref); masses with the HQ scheme and k*Thr ratios; XIF;
    matching order PTO_matching or [PTO, 0]. Missing keys raise CardError naming them.
    """
    try:
        pto = tcard["PTOEKO"] if tcard.get("PTOEKO") is not None else tcard["PTO"]
        masses = [tcard[k] for k in ("mc", "mb", "mt")]
        scheme = str(tcard["HQ"])
        if scheme.upper() == "MSBAR":
            heavy_masses = [
                [m, tcard[k]] for m, k in zip(masses, ("Qmc", "Qmb", "Qmt"), strict=True)
            ]
        else:
            heavy_masses = [[m, math.nan] for m in masses]
        return {
            "order": [pto + 1, tcard.get("QED", 0)],
            "couplings": {
                "alphas": tcard["alphas"],
                "alphaem": tcard.get("alphaqed", tcard.get("alphaem", 0.0)),
                "ref": [tcard["Qref"], tcard["nfref"]],
                "em_running": True,
            },
            "heavy": {
                "masses": heavy_masses,
                "masses_scheme": scheme.lower(),
                "matching_ratios": [tcard[k] for k in ("kcThr", "kbThr", "ktThr")],
            },
            "xif": tcard["XIF"],
            "n3lo_ad_variation": list(tcard.get("n3lo_ad_variation", [0] * 7)),
            "use_fhmruvv": tcard.get("use_fhmruvv", True),
            "matching_order": list(tcard.get("PTO_matching", [pto, 0])),
        }
    except KeyError as err:
        raise CardError(f"NNPDF theory card: required key {err} is missing") from None


def _eko_theory(source: Any) -> dict[str, Any]:
    data = _read(source, "theory")
    return nnpdf_theory_to_eko(data) if is_nnpdf_theory(data) else data


def run_opcards(
    theory: Any,
    opcards: Sequence[str | os.PathLike],
    out: str | os.PathLike,
    *,
    stores: str | os.PathLike | None = None,
    overwrite: bool = False,
    error_bounds: bool = True,
    **run_kwargs: Any,
) -> list[Path]:
    """Compute the EKOs of pineko operator cards and write ``out/<card stem>.tar`` for each.

    ``theory``: eko's theory card or an NNPDF one (dict or YAML path); ``opcards``: eko operator
    card files as pineko writes them. Cards equal up to ``mugrid`` share one ekodask run (one
    Dask graph, thresholds computed once) into ``stores/group-<hash>.zarr`` (default: ``out``),
    which stays for resuming. ``error_bounds``: the operator cards' ``error_bounds`` (eko's
    cards cannot say it; False: no bounds, NaN error arrays in the tars). ``run_kwargs`` go to
    :func:`ekodask.run` (``client=``, ``scheduler=``, ``quiet=``). Returns the tars written, in
    the order of ``opcards``.
    """
    from ..graph import run
    from .writer import export

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    store_dir = out if stores is None else Path(stores)
    store_dir.mkdir(parents=True, exist_ok=True)
    eko_theory = _eko_theory(theory)
    groups: dict[str, list[tuple[Path, dict, dict]]] = {}
    for card in opcards:
        card = Path(card)
        t, o = from_eko(eko_theory, _read(card, "operator"), (str(theory), str(card)))
        o["error_bounds"] = bool(error_bounds)
        th, op = load_cards(t, o)
        key = content_hash(compat_dict(th, op))[:16]
        groups.setdefault(key, []).append((card, t, o))
    written: dict[Path, Path] = {}
    for key, members in groups.items():
        theory_dict = members[0][1]
        union: list[tuple[float, int]] = []
        per_card = {}
        for card, _, o in members:
            points = [_point(theory_dict, entry) for entry in o["mu2grid"]]
            per_card[card] = points
            union.extend(p for p in points if p not in union)
        operator = {**members[0][2], "mu2grid": [list(p) for p in union]}
        store = store_dir / f"group-{key}.zarr"
        run(theory_dict, operator, str(store), **run_kwargs)
        for card, _, _ in members:
            tar = out / f"{card.stem}.tar"
            written[card] = export(store, tar, points=per_card[card], overwrite=overwrite)
    return [written[Path(c)] for c in opcards]


def _point(theory: dict, entry: Any) -> tuple[float, int]:
    if isinstance(entry, list | tuple):
        return float(entry[0]), int(entry[1])
    return float(entry), _default_nf(theory, float(entry))
