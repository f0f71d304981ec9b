"""The ``ekodask`` command line: thin over the cards, the graph and the store.

Every failure on bad input is one line on stderr and exit status 2 (``--debug``, given
anywhere on the line, shows the traceback); ``verify`` exits 1 when it finds damage.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import traceback
from collections.abc import Sequence

from ._version import __version__
from .cards import OperatorCard, TheoryCard, load_cards
from .eko_compat import commands as _eko_commands
from .errors import EkodaskError

__all__ = ["main"]


def _cards(args: argparse.Namespace) -> tuple[TheoryCard, OperatorCard]:
    """The command's validated cards (eko runcards translated), ``--no-error-bounds`` applied."""
    t, o = load_cards(*_eko_commands.translate_cards(args.theory, args.operator))
    if args.no_error_bounds:
        o = dataclasses.replace(o, error_bounds=False)
    return t, o


def _cmd_run(args: argparse.Namespace) -> int:
    t, o = _cards(args)  # bad cards fail here, before Dask loads
    if args.output.endswith(".tar"):  # an eko tar: computed into NAME.zarr, then exported
        args.theory, args.operator = t, o
        return _eko_commands.run_to_tar(args)
    from .graph import run

    run(
        t,
        o,
        args.output,
        scheduler=args.scheduler,
        quiet=args.quiet,
        keep_partials=args.keep_partials,
    )
    return 0


def _cmd_thresholds(args: argparse.Namespace) -> int:
    t, o = _cards(args)
    from .graph import compute_thresholds

    compute_thresholds(t, o, args.output, quiet=args.quiet)
    return 0


def _cmd_partial(args: argparse.Namespace) -> int:
    t, o = _cards(args)
    from .graph import compute_partial

    compute_partial(t, o, args.output, args.mu2, args.nf, quiet=args.quiet)
    return 0


def _cmd_merge(args: argparse.Namespace) -> int:
    from .store import merge, open

    merge(args.stores, args.output)
    with open(args.output) as eko:
        counts = f"{len(eko.thresholds)} threshold, {len(eko.partials)} partial, {len(eko)} final"
    print(f"merged {len(args.stores)} store(s) into {args.output}: {counts} operator(s)")
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from .store.maintenance import move_damaged, verify

    report = verify(args.store)
    for finding in report.findings:
        print(finding)
    mb = report.nbytes / 1e6
    print(
        f"verified {report.pieces} piece(s) of {args.store} ({mb:.1f} MB decoded) in "
        f"{report.seconds:.1f} s: {len(report.damaged)} damaged, {len(report.missing)} missing"
    )
    if args.fix and report.damaged:
        for where in move_damaged(args.store, report.damaged):
            print(f"moved aside: {where}")
        print("a rerun of `ekodask run CARDS -o STORE` recomputes what was moved aside")
    return 1 if report.findings else 0


def _cmd_combine(args: argparse.Namespace) -> int:
    from .graph import combine_store

    done = combine_store(args.store)
    if not args.quiet:
        print(f"combined {len(done)} final operator(s) in {args.store}")
    return 0


def _cmd_clean(args: argparse.Namespace) -> int:
    from .store import clean

    dropped = clean(args.store)
    if not args.quiet:
        print(f"dropped {len(dropped)} partial operator(s) from {args.store}")
    return 0


def _cmd_inspect(args: argparse.Namespace) -> int:
    from .store import inspect

    print(inspect(args.store))
    return 0


def _cmd_evolve_pdf(args: argparse.Namespace) -> int:
    from .pdfs.api import evolve_pdf

    out = evolve_pdf(args.store, args.pdfset, args.output, overwrite=args.overwrite)
    print(f"wrote the evolved set {out}")
    return 0


_EPILOG = """\
A store is a directory (default eko.zarr). To make a single read-only zip file of it:
  ekodask merge eko.zarr -o eko.zip
Exit status: 0 success, 1 verify found damaged or missing pieces, 2 bad input (one line on
stderr; --debug shows the traceback), 130 interrupted.
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ekodask",
        description="DGLAP evolution kernel operators computed as a Dask graph into a Zarr store.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"ekodask {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    # --debug is accepted after the subcommand too; SUPPRESS keeps the top-level value
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    real_add = sub.add_parser

    def add_parser(name: str, **kw: object) -> argparse.ArgumentParser:
        return real_add(name, parents=[common], **kw)  # type: ignore[arg-type]

    sub.add_parser = add_parser  # type: ignore[method-assign]

    def quiet(q: argparse.ArgumentParser) -> None:
        q.add_argument("-q", "--quiet", action="store_true", help="no progress output")

    def no_bounds(q: argparse.ArgumentParser) -> None:
        q.add_argument(
            "--no-error-bounds",
            action="store_true",
            help="as the operator card's error_bounds: false (eko cards cannot say it): store "
            "the operators without their error bounds",
        )

    r = sub.add_parser("run", help="compute a whole EKO (thresholds and finals)")
    r.add_argument("theory", nargs="?", default=None, help="theory card (default: conf/)")
    r.add_argument("operator", nargs="?", default=None, help="operator card (default: conf/)")
    r.add_argument("-o", "--output", default="eko.zarr", help="store path (default eko.zarr)")
    r.add_argument(
        "--scheduler",
        default=None,
        help="'threads', 'processes', 'synchronous' or the address tcp://HOST:PORT of a "
        "running dask.distributed scheduler (default: local threads)",
    )
    r.add_argument(
        "--keep-partials",
        action="store_true",
        help="store the partial operators too (default: only thresholds and finals)",
    )
    no_bounds(r)
    quiet(r)
    r.set_defaults(func=_cmd_run)

    t = sub.add_parser("thresholds", help="compute only the threshold operators")
    t.add_argument("theory")
    t.add_argument("operator")
    t.add_argument("-o", "--output", required=True)
    no_bounds(t)
    quiet(t)
    t.set_defaults(func=_cmd_thresholds)

    pa = sub.add_parser("partial", help="compute only the partial operator of one mu2")
    pa.add_argument("theory")
    pa.add_argument("operator")
    pa.add_argument(
        "--mu2",
        type=float,
        required=True,
        help="final scale mu^2 in GeV^2, one of the card's mu2grid (others are refused: add "
        "them to the card)",
    )
    pa.add_argument("--nf", type=int, default=None, help="nf where mu2 sits on a threshold")
    pa.add_argument("-o", "--output", required=True)
    no_bounds(pa)
    quiet(pa)
    pa.set_defaults(func=_cmd_partial)

    m = sub.add_parser(
        "merge",
        help="merge compatible stores into a new one (a directory, or a zip file: -o X.zip)",
        description="Merge compatible stores (equal cards but for mu2grid, equal x-grid) into "
        "OUTPUT; the inputs are never modified. OUTPUT ending in .zip is written as one "
        "read-only zip file (ekodask merge eko.zarr -o eko.zip makes a zip of one store). A "
        "refused merge leaves no new output.",
    )
    m.add_argument("stores", nargs="+")
    m.add_argument(
        "-o", "--output", required=True, help="output store: a directory, or a file X.zip"
    )
    m.set_defaults(func=_cmd_merge)

    c = sub.add_parser("combine", help="compute final operators from thresholds and partials")
    c.add_argument("store")
    quiet(c)
    c.set_defaults(func=_cmd_combine)

    cl = sub.add_parser("clean", help="drop partials whose finals exist (thresholds stay)")
    cl.add_argument("store")
    quiet(cl)
    cl.set_defaults(func=_cmd_clean)

    i = sub.add_parser(
        "inspect",
        help="print cards, grid and the pieces a store lists (metadata only, fast)",
        description="Print versions, cards, grid and the pieces a store lists. Metadata only: "
        "no operator data is read, so a damaged chunk is not seen; `ekodask verify` checks it.",
    )
    i.add_argument("store")
    i.set_defaults(func=_cmd_inspect)

    v = sub.add_parser(
        "verify",
        help="read and decode every piece; report damaged or missing ones (exit 1 if any)",
        description="Read every piece of STORE, check dtype, shape and chunking and decode "
        "every chunk (zstd checksum). Prints one line per damaged or missing piece, naming "
        "its point, and exits 1 if there is any. --fix moves the damaged pieces into "
        "STORE/.damaged/ (nothing is deleted), so that a rerun of `ekodask run` with the "
        "same cards recomputes exactly those.",
    )
    v.add_argument("store")
    v.add_argument("--fix", action="store_true", help="move damaged pieces aside")
    v.set_defaults(func=_cmd_verify)

    e = sub.add_parser("evolve-pdf", help="apply a store to an LHAPDF set")
    e.add_argument("store")
    e.add_argument("pdfset", help="LHAPDF set folder")
    e.add_argument("-o", "--output", required=True, help="folder of the new set")
    e.add_argument("--overwrite", action="store_true", help="replace an existing output set")
    e.set_defaults(func=_cmd_evolve_pdf)
    _eko_commands.register(sub)  # export, import
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ekodask`` console script; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except EkodaskError as err:
        if args.debug:
            traceback.print_exc()
        print(f"ekodask: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ekodask: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
