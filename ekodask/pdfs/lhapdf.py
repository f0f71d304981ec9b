"""LHAPDF 6 sets: read and write the ``.info`` and ``_NNNN.dat`` files, and interpolate them.

Format: ``lhagrid1`` of LHAPDF 6 (Buckley et al., arXiv:1412.7420, data-format section): a set
is a directory ``NAME`` holding ``NAME.info`` (YAML metadata) and one ``NAME_NNNN.dat`` per
member. A member file is a YAML header closed by ``---``, then one block per subgrid, each
closed by ``---``: a line of x knots, a line of Q knots (GeV, linear), a line of PDG ids,
then ``len(x) * len(Q)`` lines of x f values (x outer, Q inner), one column per id.

Interpolation: LHAPDF's default ``logcubic`` interpolator (arXiv:1412.7420, interpolation
section; as LHAPDF 6.x behaves): a cubic Hermite spline in log x and then in log Q2, with knot
derivatives from finite differences (the mean of the two one-sided slopes inside, the
one-sided slope at an edge); a subgrid with only 2 or 3 Q knots falls back to bilinear
interpolation in (log x, log Q2).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import numpy as np
import yaml
from numpy.typing import NDArray

from ekodask.errors import StoreError

__all__ = [
    "Member",
    "PdfSet",
    "Subgrid",
    "member_path",
    "open_set",
    "pdfs_at",
    "read_info",
    "read_member",
    "write_info",
    "write_member",
    "xfx_q2",
]

_SEPARATOR = "---"
# libyaml's parser where PyYAML has it (the same safe constructors, a third of the time per
# member header); the info file keeps the pure-Python loader, whose messages name the problem
_HEADER_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_GLUON_ALIAS = 0  # some sets write the gluon as 0 instead of 21


@dataclass(frozen=True)
class Subgrid:
    """One block of a member: x knots, Q knots (GeV), PDG ids, x f of shape (pid, x, Q)."""

    x: NDArray[np.float64]
    q: NDArray[np.float64]
    pids: tuple[int, ...]
    xf: NDArray[np.float64]

    @property
    def q2(self) -> NDArray[np.float64]:
        """The squared scales of the Q knots, GeV^2."""
        return self.q**2


@dataclass(frozen=True)
class Member:
    """One member (``NAME_NNNN.dat``): its YAML header and its subgrids in increasing Q."""

    header: dict
    subgrids: tuple[Subgrid, ...]
    source: str = ""

    @property
    def pids(self) -> tuple[int, ...]:
        """The PDG ids of the first subgrid (LHAPDF requires all subgrids to share them)."""
        return self.subgrids[0].pids


@dataclass(frozen=True)
class PdfSet:
    """An LHAPDF 6 set on disk: directory, name and parsed info; members are read on demand."""

    path: Path
    name: str
    info: dict = field(repr=False)

    @property
    def num_members(self) -> int:
        """``NumMembers`` of the info file."""
        return int(self.info["NumMembers"])

    def member(self, index: int) -> Member:
        """Read member ``index`` (0 = central)."""
        return read_member(member_path(self.path, self.name, index))


def member_path(set_dir: str | Path, name: str, index: int) -> Path:
    """Path of member ``index`` of set ``name`` in ``set_dir``: ``NAME_NNNN.dat``."""
    return Path(set_dir) / f"{name}_{index:04d}.dat"


def _fail(path: Path | str, problem: str) -> StoreError:
    return StoreError(f"LHAPDF set file {path}: {problem}")


def _read_text(path: Path) -> str:
    """The text of a set file (UTF-8); StoreError naming it when unreadable or binary."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        raise _fail(path, f"cannot be read ({err.strerror or err})") from None
    except UnicodeDecodeError as err:
        raise _fail(path, f"is not a text file (byte {err.start} is not UTF-8)") from None


def read_info(path: str | Path) -> dict:
    """Parse an ``.info`` file into a dict; checks the keys needed to read the members."""
    path = Path(path)
    text = _read_text(path)
    try:
        info = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise _fail(path, f"is not valid YAML ({' '.join(str(err).split())})") from None
    if not isinstance(info, dict):
        raise _fail(path, "is not a YAML mapping of keys to values")
    num = info.get("NumMembers")
    if isinstance(num, bool) or not isinstance(num, int) or num < 1:
        raise _fail(path, f"NumMembers must be a positive integer, got {num!r}")
    fmt = info.get("Format", "lhagrid1")
    if fmt != "lhagrid1":
        raise _fail(path, f"Format {fmt!r} is not supported (only lhagrid1)")
    interp = info.get("Interpolator", "logcubic")
    if interp != "logcubic":
        raise _fail(path, f"Interpolator {interp!r} is not supported (only logcubic)")
    return info


def open_set(path: str | Path) -> PdfSet:
    """Open the set in directory ``path`` (name = directory name); checks all members exist."""
    path = Path(path)
    if not path.is_dir():
        raise _fail(path, "no such set directory")
    name = path.name
    info = read_info(path / f"{name}.info")
    for index in range(int(info["NumMembers"])):
        mpath = member_path(path, name, index)
        if not mpath.is_file():
            raise _fail(mpath, f"member {index} of NumMembers = {info['NumMembers']} is missing")
    return PdfSet(path=path, name=name, info=info)


def _numbers(line: str, path: Path, what: str) -> NDArray[np.float64]:
    try:
        return np.array(line.split(), dtype=float)
    except ValueError:
        raise _fail(path, f"{what} line is not a list of numbers: {line[:60]!r}") from None


def _parse_block(block: list[str], path: Path, number: int) -> Subgrid:
    what = f"subgrid {number}"
    if len(block) < 3:
        raise _fail(path, f"{what} needs x, Q and flavour lines, found {len(block)} lines")
    x = _numbers(block[0], path, f"{what} x")
    q = _numbers(block[1], path, f"{what} Q")
    try:
        pids = tuple(int(p) for p in block[2].split())
    except ValueError:
        raise _fail(path, f"{what} flavour line is not a list of integers") from None
    pids = tuple(21 if p == _GLUON_ALIAS else p for p in pids)
    for name, knots in (("x", x), ("Q", q)):
        if knots.size < 2 or not np.all(np.diff(knots) > 0) or knots[0] <= 0:
            raise _fail(path, f"{what} {name} knots must be >= 2 positive increasing numbers")
    if x[-1] > 1.0:
        raise _fail(path, f"{what} has x knots above 1")
    if x.size < 4:
        raise _fail(path, f"{what} has {x.size} x knots, the logcubic interpolation needs >= 4")
    if not pids or len(set(pids)) != len(pids):
        raise _fail(path, f"{what} flavour line is empty or repeats an id")
    rows = block[3:]
    values = None
    if rows:
        try:  # numpy's C reader: a third of the time per number of the token list below
            values = np.loadtxt(rows, dtype=float, ndmin=2, comments=None).ravel()
        except ValueError:
            pass  # ragged or not numbers: the token parser says which
    if values is None:
        values = _numbers(" ".join(rows), path, f"{what} value")
    expected = x.size * q.size * len(pids)
    if values.size != expected or len(block) - 3 != x.size * q.size:
        raise _fail(
            path,
            f"{what} has {len(block) - 3} value lines / {values.size} numbers, expected "
            f"{x.size * q.size} lines of {len(pids)} (nx * nQ rows, one column per flavour)",
        )
    xf = values.reshape(x.size, q.size, len(pids)).transpose(2, 0, 1)
    return Subgrid(x=x, q=q, pids=pids, xf=np.ascontiguousarray(xf))


def read_member(path: str | Path) -> Member:
    """Parse one ``NAME_NNNN.dat`` member file."""
    path = Path(path)
    lines = _read_text(path).splitlines()
    bare = [line.strip() for line in lines]  # one pass; the header keeps its indentation
    cuts = [i for i, line in enumerate(bare) if line == _SEPARATOR]
    if len(cuts) < 2:
        raise _fail(path, "needs a header and at least one subgrid, each closed by '---'")
    try:
        header = yaml.load("\n".join(lines[: cuts[0]]), Loader=_HEADER_LOADER) or {}
    except yaml.YAMLError:
        raise _fail(path, "header before the first '---' is not valid YAML") from None
    if not isinstance(header, dict):
        raise _fail(path, "header before the first '---' is not a YAML mapping")
    if header.get("Format", "lhagrid1") != "lhagrid1":
        raise _fail(path, f"Format {header.get('Format')!r} is not supported (only lhagrid1)")
    if any(bare[cuts[-1] + 1 :]):
        raise _fail(path, "text after the last '---'")
    subgrids = []
    for number, (start, stop) in enumerate(pairwise(cuts)):
        block = [line for line in bare[start + 1 : stop] if line]
        subgrids.append(_parse_block(block, path, number))
    for number, (low, high) in enumerate(pairwise(subgrids)):
        if high.q[0] < low.q[-1]:
            raise _fail(path, f"subgrid {number + 1} starts below the end of subgrid {number}")
        if high.pids != low.pids:
            raise _fail(path, f"subgrid {number + 1} has other flavours than subgrid {number}")
    return Member(header=header, subgrids=tuple(subgrids), source=str(path))


class _Dumper(yaml.SafeDumper):
    """Block mappings with flow lists, as LHAPDF's own info files look."""


_Dumper.add_representer(
    list, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, True)
)


def _dump_yaml(data: Mapping) -> str:
    return yaml.dump(dict(data), Dumper=_Dumper, sort_keys=False, width=1_000_000)


def _format(values: Iterable[float]) -> str:
    # repr gives the shortest string that reads back as the same double: exact round trip
    return " ".join(repr(float(v)) for v in values)


# the members of a set share their header and knots: their text is formatted once (by value)
@functools.lru_cache(maxsize=64)
def _knot_text(raw: bytes) -> str:
    return _format(np.frombuffer(raw, dtype=np.float64))


@functools.lru_cache(maxsize=32)
def _header_text(items: tuple[tuple[str, str, str, object], ...]) -> str:
    return _dump_yaml({key: value for key, _, _, value in items}).rstrip()


def _member_header(head: Mapping) -> str:
    """The YAML of a member header; cached when it holds only scalars (keyed by type, repr)."""
    if all(isinstance(k, str) and type(v) in (str, int, float, bool) for k, v in head.items()):
        return _header_text(tuple((k, type(v).__name__, repr(v), v) for k, v in head.items()))
    return _dump_yaml(head).rstrip()


#: the styles of write_member's value lines
STYLES = ("shortest", "fixed")

# "fixed" style: |v| in [1e-270, 1e270] (or 0); a row with a value outside (or nan, inf) is
# written as repr. The bound keeps Dekker's splitting of v and of 10^p, p = 16 - floor(log10
# |v|), finite.
_FIXED_EXP = 270
_LOWEST_POWER = 16 - _FIXED_EXP - 2
_SPLITTER = 134217729.0  # 2^27 + 1: Dekker's splitter of a double into two 26-bit halves


@functools.cache
def _powers_of_ten() -> tuple[NDArray[np.float64], ...]:
    """10^p, p = p0, p0 + 1, ... as double-doubles hi + lo (exact to 2^-106): hi, its halves, lo.

    p from _LOWEST_POWER to 16 + _FIXED_EXP + 2 (a margin for a log10 one off); exact rationals.
    """
    exact = [Fraction(10) ** p for p in range(_LOWEST_POWER, 16 + _FIXED_EXP + 3)]
    hi = np.array([float(e) for e in exact])
    lo = np.array([float(e - Fraction(h)) for e, h in zip(exact, hi.tolist(), strict=True)])
    c = _SPLITTER * hi
    hi_hi = c - (c - hi)
    return hi, hi_hi, hi - hi_hi, lo


@functools.cache
def _four_digits() -> NDArray[np.uint32]:
    """ASCII of 0000 ... 9999, four bytes each, as one uint32 per number (native order)."""
    n = np.arange(10000)
    text = (48 + (n[:, None] // 10 ** np.arange(3, -1, -1)) % 10).astype(np.uint8)
    return np.ascontiguousarray(text).view(np.uint32).ravel()


def _words(texts: list[str]) -> NDArray[np.uint32]:
    """Four-character ASCII strings as one uint32 each (native order, like a bytes view)."""
    return np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint32).copy()


@functools.cache
def _head_words() -> NDArray[np.uint32]:
    """Separator, sign, leading digit and point: index 20 * newline + 10 * negative + digit."""
    return _words([f"{sep}{sign}{d}." for sep in " \n" for sign in " -" for d in range(10)])


@functools.cache
def _exponent_words() -> NDArray[np.uint32]:
    """'e', sign and two digits of the exponents -99 ... 99 (index exponent + 99)."""
    return _words([f"e{e:+03d}" for e in range(-99, 100)])


def _scaled(a: NDArray[np.float64], p: NDArray[np.int64]) -> NDArray[np.int64]:
    """round(a * 10^p) as integers for positive a, from the double-double product a * 10^p.

    Error of order 2^-45 of a unit in the result or less (Dekker's exact product of two
    doubles plus a * lo; T. J. Dekker, Numer. Math. 18 (1971) 224), so only values that close
    to a half-integer can round the other way.
    """
    hi, hi_hi, hi_lo, lo = (t[p - _LOWEST_POWER] for t in _powers_of_ten())
    prod = a * hi
    c = _SPLITTER * a
    a_hi = c - (c - a)
    a_lo = a - a_hi
    err = ((a_hi * hi_hi - prod) + a_hi * hi_lo + a_lo * hi_hi) + a_lo * hi_lo
    near = np.rint(prod)
    return near.astype(np.int64) + np.rint((prod - near) + (err + a * lo)).astype(np.int64)


def _fixed_lines(values: NDArray[np.float64]) -> bytes | None:
    """Rows of ``values`` (n, c) as n lines like C's ``"% .16e"``, joined by newlines (none
    after the last). A row holding a value outside 1e-270 ... 1e270 (0 aside) or not finite
    is written as repr instead, that row alone.

    17 significant digits, rounded to nearest from a double-double product: the text reads
    back as the same doubles (IEEE 754-2008, 5.12.2: 17 digits suffice for binary64; the error,
    at most half a unit of the 17th digit plus 2^-45 of one, stays below half an ulp).
    Fields are 24 characters (25 when an exponent needs 3 digits), separated by one space, a
    blank where the sign of a positive value goes. Vectorised: the digits come four at a time
    from a table, no per-value formatting call.
    """
    v = np.asarray(values, dtype=float)
    n, c = v.shape
    flat = v.ravel()
    mag = np.abs(flat)
    bound = 10.0**_FIXED_EXP
    regular = (1.0 / bound <= mag) & (mag <= bound)  # false for 0 and nan
    special = np.flatnonzero(~regular & (mag != 0.0))
    mag = np.where(regular, mag, 1.0)
    exp = np.floor(np.log10(mag)).astype(np.int64)
    digits = _scaled(mag, 16 - exp)
    for _ in range(4):  # log10 can be one off next to a power of ten, rounding can reach 10^17
        high, low = digits >= 10**17, digits < 10**16
        redo = high | low
        if not redo.any():
            break
        exp += high.astype(np.int64) - low.astype(np.int64)
        digits[redo] = _scaled(mag[redo], 16 - exp[redo])
    else:
        return None
    # 10^16 may be a value just below 10^k rounded on the coarser grid of a log10 one too high
    edge = np.flatnonzero(digits == 10**16)
    if edge.size:
        finer = _scaled(mag[edge], 17 - exp[edge])
        below = finer < 10**17
        digits[edge[below]] = finer[below]
        exp[edge[below]] -= 1
    digits *= regular  # zeros (and specials): the stand-in 1.0 becomes 0.0000000000000000e+00
    exp *= regular
    digit_words = _four_digits()
    words = np.empty((n * c, 6), dtype=np.uint32)  # a field is six 4-byte words
    first = np.zeros((n, c), dtype=np.int64)
    first[:, 0] = 20  # the first field of a line starts with the newline of the line before
    words[:, 0] = _head_words()[first.ravel() + 10 * np.signbit(flat) + digits // 10**16]
    rest = digits % 10**16
    for j in range(4):
        scale = 10 ** (12 - 4 * j)
        group = rest // scale
        rest -= group * scale
        words[:, 1 + j] = digit_words[group]
    if np.all(np.abs(exp) < 100):
        words[:, 5] = _exponent_words()[exp + 99]
        text = words.tobytes()[1:]
    else:
        fields = np.empty((n * c, 25), dtype=np.uint8)
        fields[:, :20] = words.view(np.uint8)[:, :20]
        fields[:, 20] = ord("e")
        fields[:, 21] = np.where(exp < 0, ord("-"), ord("+"))
        fields[:, 22:] = digit_words[np.abs(exp)].view(np.uint8).reshape(-1, 4)[:, 1:]
        text = fields.tobytes()[1:]
    if special.size:
        lines = text.split(b"\n")
        for row in np.unique(special // c).tolist():
            lines[row] = " ".join(repr(float(value)) for value in v[row]).encode("ascii")
        text = b"\n".join(lines)
    return text


def write_member(
    path: str | Path, header: Mapping, subgrids: Sequence[Subgrid], style: str = "shortest"
) -> Path:
    """Write one member file in ``lhagrid1`` format; values are written exactly.

    ``style`` of the value lines: "shortest" (repr of each double, the shortest text that
    reads back as it) or "fixed" (``"% .16e"``-like columns, also exact, formatted by numpy
    several times faster; repr for a row with a value outside 1e-270 ... 1e270 or not finite).
    Knot lines are always repr.
    """
    if style not in STYLES:
        raise ValueError(f"write_member style must be one of {STYLES}, got {style!r}")
    path = Path(path)
    head = {"PdfType": "central", **dict(header), "Format": "lhagrid1"}
    out = [_member_header(head), _SEPARATOR]
    for grid in subgrids:
        out.append(_knot_text(np.asarray(grid.x, dtype=np.float64).tobytes()))
        out.append(_knot_text(np.asarray(grid.q, dtype=np.float64).tobytes()))
        out.append(" ".join(str(int(p)) for p in grid.pids))
        rows = np.asarray(grid.xf, dtype=float).transpose(1, 2, 0).reshape(-1, len(grid.pids))
        text = _fixed_lines(rows) if style == "fixed" else None
        if text is None:
            # the same text as _format per row ("%r" is repr), one formatting call per row
            line = " ".join(["%r"] * len(grid.pids))
            text = "\n".join([line % tuple(row) for row in rows.tolist()]).encode("ascii")
        out.append(text)
        out.append(_SEPARATOR)
    path.write_bytes(b"\n".join(t if isinstance(t, bytes) else t.encode() for t in out) + b"\n")
    return path


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def write_info(path: str | Path, info: Mapping) -> Path:
    """Write an ``.info`` file (YAML, keys in the given order, lists on one line)."""
    path = Path(path)
    path.write_text(_dump_yaml(_plain(dict(info))))
    return path


def _knot_below(knots: NDArray[np.float64], values: NDArray[np.float64]) -> NDArray[np.intp]:
    """Index i with knots[i] <= value < knots[i+1], the last interval for the last knot."""
    return np.clip(np.searchsorted(knots, values, side="right") - 1, 0, knots.size - 2)


def _slopes(logk: NDArray[np.float64], values: NDArray[np.float64], axis: int) -> NDArray:
    """Knot derivatives along ``axis``: mean of one-sided slopes inside, one-sided at edges."""
    v = np.moveaxis(values, axis, -1)
    diff = np.diff(v, axis=-1) / np.diff(logk)
    out = np.empty_like(v)
    out[..., 0] = diff[..., 0]
    out[..., -1] = diff[..., -1]
    out[..., 1:-1] = 0.5 * (diff[..., 1:] + diff[..., :-1])
    return np.moveaxis(out, -1, axis)


def _hermite(t: NDArray, v0: NDArray, d0: NDArray, v1: NDArray, d1: NDArray) -> NDArray:
    """Cubic Hermite on [0, 1]; d0, d1 are derivatives in t (already scaled by the width)."""
    t2 = t * t
    t3 = t2 * t
    left = (2 * t3 - 3 * t2 + 1) * v0 + (t3 - 2 * t2 + t) * d0
    return left + (-2 * t3 + 3 * t2) * v1 + (t3 - t2) * d1


def _subgrid_for(subgrids: Sequence[Subgrid], q2: float, source: str) -> Subgrid:
    """LHAPDF's choice: the last subgrid whose lowest Q2 is <= q2 (the upper one on a seam)."""
    starts = np.array([g.q2[0] for g in subgrids])
    index = int(np.clip(np.searchsorted(starts, q2, side="right") - 1, 0, len(subgrids) - 1))
    grid = subgrids[index]
    low, high = subgrids[0].q2[0], subgrids[-1].q2[-1]
    if not low <= q2 <= high:
        raise _fail(source, f"Q2 = {q2!r} GeV^2 outside the set's range [{low!r}, {high!r}]")
    if q2 > grid.q2[-1]:
        raise _fail(source, f"Q2 = {q2!r} GeV^2 falls in a gap between subgrids")
    return grid


def xfx_q2(member: Member, x: NDArray[np.float64], q2: float) -> NDArray[np.float64]:
    """x f at (x, q2) by LHAPDF's logcubic interpolation; shape (len(member.pids), len(x)).

    No extrapolation: x or q2 outside the grid raises StoreError naming the member file.
    Reference: arXiv:1412.7420 (interpolation).
    """
    x = np.atleast_1d(np.asarray(x, dtype=float))
    grid = _subgrid_for(member.subgrids, float(q2), member.source)
    if np.any(x < grid.x[0]) or np.any(x > grid.x[-1]):
        raise _fail(
            member.source,
            f"x in [{x.min()!r}, {x.max()!r}] outside the set's x range "
            f"[{grid.x[0]!r}, {grid.x[-1]!r}]",
        )
    logx, logq2 = np.log(grid.x), np.log(grid.q2)
    ix = _knot_below(grid.x, x)
    lx = np.log(x)
    width_x = logx[ix + 1] - logx[ix]
    tx = (lx - logx[ix]) / width_x
    iq = int(_knot_below(grid.q2, np.array([q2]))[0])
    nq = grid.q.size
    tq = (np.log(q2) - logq2[iq]) / (logq2[iq + 1] - logq2[iq])
    xf = grid.xf  # (pid, x, Q)
    if nq < 4:
        lin_x = xf[:, ix, :] + tx[None, :, None] * (xf[:, ix + 1, :] - xf[:, ix, :])
        return lin_x[:, :, iq] + tq * (lin_x[:, :, iq + 1] - lin_x[:, :, iq])
    dx = _slopes(logx, xf, axis=1)

    def along_x(k: int) -> NDArray[np.float64]:
        # Hermite in log x at the Q knot k, for every pid and every requested x
        return _hermite(
            tx, xf[:, ix, k], dx[:, ix, k] * width_x, xf[:, ix + 1, k], dx[:, ix + 1, k] * width_x
        )

    width_q = logq2[iq + 1] - logq2[iq]
    low, high = along_x(iq), along_x(iq + 1)
    mid_slope = (high - low) / width_q
    if iq == 0:
        d_low = mid_slope
    else:
        d_low = 0.5 * (mid_slope + (low - along_x(iq - 1)) / (logq2[iq] - logq2[iq - 1]))
    if iq + 1 == nq - 1:
        d_high = mid_slope
    else:
        d_high = 0.5 * (mid_slope + (along_x(iq + 2) - high) / (logq2[iq + 2] - logq2[iq + 1]))
    return _hermite(tq, low, d_low * width_q, high, d_high * width_q)


def pdfs_at(
    member: Member, x: NDArray[np.float64], q2: float, pids: Sequence[int]
) -> NDArray[np.float64]:
    """The PDFs f (not x f) at (x, q2) in the order ``pids``; ids absent from the set are 0."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    xf = xfx_q2(member, x, q2)
    index = {pid: i for i, pid in enumerate(member.pids)}
    out = np.zeros((len(pids), x.size))
    for row, pid in enumerate(pids):
        if pid in index:
            out[row] = xf[index[pid]] / x
    return out
