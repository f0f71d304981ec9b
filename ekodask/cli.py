"""The ``ekodask`` command line: thin over the cards, the graph and the store.

Every failure on bad input is one line on stderr and exit status 2 (``--debug`` shows the
traceback).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from . import __version__
from .cards import load_cards
from .eko_compat import commands as _eko_commands
from .errors import EkodaskError

__all__ = ["main"]


def _cmd_run(args: argparse.Namespace) -> int:
    args.theory, args.operator = _eko_commands.translate_cards(args.theory, args.operator)
    load_cards(args.theory, args.operator)  # bad cards fail here, before anything heavy loads
    if args.output.endswith(".tar"):  # an eko tar: computed into NAME.zarr, then exported
        return _eko_commands.run_to_tar(args)
    from .graph import run

    run(
        args.theory,
        args.operator,
        args.output,
        scheduler=args.scheduler,
        quiet=args.quiet,
    )
    return 0


def _cmd_thresholds(args: argparse.Namespace) -> int:
    load_cards(args.theory, args.operator)
    from .graph import compute_thresholds

    compute_thresholds(args.theory, args.operator, args.output, quiet=args.quiet)
    return 0


def _cmd_partial(args: argparse.Namespace) -> int:
    load_cards(args.theory, args.operator)
    from .graph import compute_partial

    compute_partial(args.theory, args.operator, args.output, args.mu2, args.nf, quiet=args.quiet)
    return 0


def _cmd_merge(args: argparse.Namespace) -> int:
    from .store import merge

    merge(args.stores, args.output)
    return 0


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
    from . import evolve_pdf

    out = evolve_pdf(args.store, args.pdfset, args.output)
    print(f"wrote the evolved set {out}")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ekodask",
        description="DGLAP evolution kernel operators computed as a Dask graph into a Zarr store.",
    )
    p.add_argument("--version", action="version", version=f"ekodask {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def quiet(q: argparse.ArgumentParser) -> None:
        q.add_argument("-q", "--quiet", action="store_true", help="no progress output")

    r = sub.add_parser("run", help="compute a whole EKO (thresholds, partials, finals)")
    r.add_argument("theory", nargs="?", default=None, help="theory card (default: conf/)")
    r.add_argument("operator", nargs="?", default=None, help="operator card (default: conf/)")
    r.add_argument("-o", "--output", default="eko.zarr", help="store path (default eko.zarr)")
    r.add_argument(
        "--scheduler",
        default=None,
        help="'threads', 'processes', 'synchronous' or the address tcp://HOST:PORT of a "
        "running dask.distributed scheduler (default: local threads)",
    )
    quiet(r)
    r.set_defaults(func=_cmd_run)

    t = sub.add_parser("thresholds", help="compute only the threshold operators")
    t.add_argument("theory")
    t.add_argument("operator")
    t.add_argument("-o", "--output", required=True)
    quiet(t)
    t.set_defaults(func=_cmd_thresholds)

    pa = sub.add_parser("partial", help="compute only the partial operator of one mu2")
    pa.add_argument("theory")
    pa.add_argument("operator")
    pa.add_argument("--mu2", type=float, required=True, help="final scale mu^2 in GeV^2")
    pa.add_argument("--nf", type=int, default=None, help="nf where mu2 sits on a threshold")
    pa.add_argument("-o", "--output", required=True)
    quiet(pa)
    pa.set_defaults(func=_cmd_partial)

    m = sub.add_parser("merge", help="merge compatible stores into a new one")
    m.add_argument("stores", nargs="+")
    m.add_argument("-o", "--output", required=True)
    m.set_defaults(func=_cmd_merge)

    c = sub.add_parser("combine", help="compute final operators from thresholds and partials")
    c.add_argument("store")
    quiet(c)
    c.set_defaults(func=_cmd_combine)

    cl = sub.add_parser("clean", help="drop partials whose finals exist (thresholds stay)")
    cl.add_argument("store")
    quiet(cl)
    cl.set_defaults(func=_cmd_clean)

    i = sub.add_parser("inspect", help="print cards, grid and what a store holds")
    i.add_argument("store")
    i.set_defaults(func=_cmd_inspect)

    e = sub.add_parser("evolve-pdf", help="apply a store to an LHAPDF set")
    e.add_argument("store")
    e.add_argument("pdfset", help="LHAPDF set folder")
    e.add_argument("-o", "--output", required=True, help="folder of the new set")
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
    except ModuleNotFoundError as err:
        if not (err.name or "").startswith("ekodask."):
            raise
        print(f"ekodask: error: '{args.command}' is not built yet ({err.name})", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("ekodask: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
