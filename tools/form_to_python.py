"""Transcribe N-space FORM results of the authors' files into a Python module (a developer tool).

Usage: python tools/form_to_python.py [--x] FILE.h NAME[=ALIAS] ... > module.py
(--x: x-space expressions in harmonic polylogarithms, for test references)

Reads the ``L name = ... ;`` expressions of a FORM result file (Moch, Vermaseren, Vogt et al.,
e.g. ``svenolafmoch/Conformal-EIC:NNLO_Splitting_Functions_in_pertubative_QCD/dPij012MN.h``) and
writes one Python function per expression, of one argument ``v`` that supplies the building
blocks: ``v.d(k)`` = 1/(N+k), ``v.s((m1, ..., mj), k)`` = S_{m1,...,mj}(N+k), the colour factors
``ca``, ``cf``, ``nf``, ``fl02``, ``dabc2n`` (= d^abc d_abc / n_c) and ``z2``..``z5`` as
attributes. Terms ``theta(N - k)`` are the general-N result and are kept (theta -> 1); terms
``delta(N - k)`` (the value at one integer N where the general form is not used by the authors)
go to a separate function ``<alias>_at_n<k>``. Only arithmetic is rewritten: the coefficients
and their arrangement are the authors'.
"""

import hashlib
import re
import sys

_ARG = r"\(((?:[+-]?\d+)?)\+?N\)"  # (N), (1+N), (-1+N), after whitespace removal
_SUM = re.compile(r"S\(R\(([-\d,]+)\)," + r"((?:[+-]?\d+)?)\+?N\)")
_DEN = re.compile(r"den" + _ARG)
_ALLOWED = re.compile(r"^[0-9+\-*/().,\sa-z_]*$")


def read_expressions(text: str) -> dict[str, str]:
    """name -> FORM right-hand side with all whitespace removed (comment lines dropped)."""
    body = "\n".join(line for line in text.splitlines() if not line.startswith("*"))
    out = {}
    for m in re.finditer(r"(?m)^\s*L\s+(\w+)\s*=(.*?);", body, flags=re.S):
        out[m.group(1)] = re.sub(r"\s+", "", m.group(2))
    return out


def split_terms(expr: str) -> list[str]:
    """Split at the top-level + and - signs, keeping the sign with its term."""
    terms, depth, start = [], 0, 0
    for i, c in enumerate(expr):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c in "+-" and depth == 0 and i > start and expr[i - 1] not in "^*/":
            terms.append(expr[start:i])
            start = i
    terms.append(expr[start:])
    return [t for t in terms if t]


def _shift(s: str) -> int:
    return int(s) if s else 0


def to_python(form: str, xspace: bool = False) -> str:
    """FORM arithmetic (whitespace removed) -> Python arithmetic over ``v``.

    x space: H(R(m..),x) -> v.h((m..)), [1-x]^-1 -> v.r1mx, [1+x]^-1 -> v.r1px,
    delta_(1-x) -> v.delta, x -> v.x.
    """
    if xspace:
        form = re.sub(r"H\(R\(([-\d,]+)\),x\)", r"v.h((\1,))", form)
        form = form.replace("[1-x]^-1", "v.r1mx").replace("[1+x]^-1", "v.r1px")
        form = form.replace("delta_(1-x)", "v.delta")
        form = re.sub(r"(?<![\w.])x(?![\w(])", "v.x", form)
    py = _SUM.sub(lambda m: f"v.s(({m.group(1)},),{_shift(m.group(2))})", form)
    py = _DEN.sub(lambda m: f"v.d({_shift(m.group(1))})", py)
    py = py.replace("[dabc^2/n]", "v.dabc2n").replace("^", "**")
    py = re.sub(r"(?<![\w.])(ca|cf|nf|fl02|z2|z3|z4|z5)(?![\w(])", r"v.\1", py)
    if not _ALLOWED.match(py) or "S(" in py or "den(" in py or "H(" in py or "[" in py:
        raise ValueError(f"untranslated FORM left in: {py[:200]}")
    return py


def wrap(py: str, width: int = 96, indent: str = "        ") -> list[str]:
    """Break one Python term into lines at its depth-1 signs (no line longer than needed)."""
    pieces, depth, start = [], 0, 0
    for i, c in enumerate(py):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c in "+-" and depth == 1 and py[i - 1] not in "(*/e":
            pieces.append(py[start:i])
            start = i
    pieces.append(py[start:])
    lines, cur = [], ""
    for piece in pieces:
        if cur and len(indent) + len(cur) + len(piece) > width:
            lines.append(cur)
            cur = "    "
        cur += piece
    lines.append(cur)
    return [indent + line for line in lines]


def _classify(term: str) -> tuple[str, int, str]:
    """('theta'|'delta'|'', k, rest) of theta(N-k)*rest, delta(N-k)*rest or rest*delta(N-k)."""
    m = re.match(r"([+-])(theta|delta)\((-?\d+)\+N\)\*(.*)$", term)
    if m:
        return m.group(2), -int(m.group(3)), m.group(1) + m.group(4)
    m = re.match(r"([+-])(.*)\*(theta|delta)\((-?\d+)\+N\)$", term)
    if m:
        return m.group(3), -int(m.group(4)), m.group(1) + m.group(2)
    return "", 0, term


def transcribe(text: str, names: list[tuple[str, str]]) -> str:
    exprs = read_expressions(text)
    lines = []
    for name, alias in names:
        groups: dict[tuple[str, int], list[str]] = {}
        for term in split_terms(exprs[name]):
            term = term if term[0] in "+-" else "+" + term
            if term == "+0":
                continue
            kind, k, rest = _classify(term)
            groups.setdefault((kind, k), []).append(rest)
        if ("", 0) in groups:
            raise ValueError(f"{name}: a term without theta or delta")
        general = [t for (kind, _), ts in sorted(groups.items()) if kind == "theta" for t in ts]
        lines += _function(alias, f"{name}: all theta(N - k) terms (the general-N form)", general)
        thetas = sorted(k for kind, k in groups if kind == "theta")
        for kind, k in sorted(groups):
            if kind == "delta" or len(thetas) > 1:
                what = f"{name}: the {kind}(N - {k}) terms"
                lines += _function(f"{alias}_{kind}{k}", what, groups[kind, k])
    return "\n".join(lines)


def transcribe_x(text: str, names: list[tuple[str, str]]) -> str:
    """x-space expressions (no theta/delta(N) structure): one function each."""
    exprs = read_expressions(text)
    lines = []
    for name, alias in names:
        terms = [t if t[0] in "+-" else "+" + t for t in split_terms(exprs[name])]
        lines += _function(alias, f"{name} (x space)", terms, xspace=True)
    return "\n".join(lines)


def _function(alias: str, what: str, terms: list[str], xspace: bool = False) -> list[str]:
    out = ["", "", f"def {alias}(v):", f'    """{what}."""', "    return ("]
    for t in terms:
        out += wrap(to_python(t, xspace))
    if not terms:
        out.append("        0.0")
    out.append("    )")
    return out


def main(argv: list[str]) -> None:
    xspace = argv[0] == "--x"
    argv = argv[1:] if xspace else argv
    path, specs = argv[0], argv[1:]
    raw = open(path, "rb").read()
    names = [tuple(s.split("=")) if "=" in s else (s, s) for s in specs]
    print(f"# Generated by tools/form_to_python.py from {path.split('/')[-1]}")
    print(f"# (MD5 {hashlib.md5(raw).hexdigest()}); do not edit by hand.")
    print("# fmt: off")
    print((transcribe_x if xspace else transcribe)(raw.decode(), names))


if __name__ == "__main__":
    main(sys.argv[1:])
