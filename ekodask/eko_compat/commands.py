"""The command-line pieces of eko compatibility: ``ekodask export``, ``ekodask import`` and
``ekodask run ... -o NAME.tar``. Imports nothing heavy until a command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

__all__ = ["register", "run_to_tar", "translate_cards"]


def translate_cards(theory: Any, operator: Any) -> tuple[Any, Any]:
    """The card arguments unchanged, or ekodask card dicts when they are eko runcards."""
    from .runcards import translate_if_eko

    return translate_if_eko(theory, operator)


def _cmd_export(args: argparse.Namespace) -> int:
    from .writer import export

    out = export(args.store, args.output, overwrite=args.overwrite)
    if not args.quiet:
        print(f"wrote the eko EKO {out}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from .importer import import_eko

    import_eko(args.eko, args.output, overwrite=args.overwrite)
    if not args.quiet:
        print(f"imported {args.eko} into the store {args.output}")
    return 0


def _cmd_ekos(args: argparse.Namespace) -> int:
    from .pineko import run_opcards

    tars = run_opcards(
        args.theory,
        args.opcards,
        args.output,
        stores=args.stores,
        overwrite=args.overwrite,
        error_bounds=not args.no_error_bounds,
        scheduler=args.scheduler,
        quiet=args.quiet,
    )
    if not args.quiet:
        print(f"wrote {len(tars)} eko EKO(s) into {args.output}")
    return 0


def register(sub: Any) -> None:
    """Add the ``export``, ``import`` and ``ekos`` subcommands to the CLI's subparsers."""
    e = sub.add_parser("export", help="write a store's final operators as an eko 0.15 tar")
    e.add_argument("store")
    e.add_argument("-o", "--output", required=True, help="eko tar to write (NAME.tar)")
    e.add_argument("--overwrite", action="store_true", help="replace an existing tar")
    e.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    e.set_defaults(func=_cmd_export)

    i = sub.add_parser("import", help="read an eko tar (or folder) into a store")
    i.add_argument("eko", help="eko tar or extracted folder")
    i.add_argument("-o", "--output", required=True, help="store path")
    i.add_argument("--overwrite", action="store_true", help="replace an existing store")
    i.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    i.set_defaults(func=_cmd_import)

    k = sub.add_parser(
        "ekos", help="pineko's EKO step: every operator card of a theory in one Dask graph"
    )
    k.add_argument("theory", help="eko theory card or NNPDF theory card (YAML)")
    k.add_argument("opcards", nargs="+", help="eko operator cards (pineko theory opcards)")
    k.add_argument("-o", "--output", required=True, help="folder of the tars (<card>.tar)")
    k.add_argument("--stores", help="folder of the Zarr stores (default: the output folder)")
    k.add_argument("--overwrite", action="store_true", help="replace existing tars")
    k.add_argument("--scheduler", default=None, help="as for `ekodask run`")
    k.add_argument(
        "--no-error-bounds",
        action="store_true",
        help="store and export the operators without their error bounds (NaN error arrays "
        "in the tars, which pineko ignores): ~40%% less time per extra scale",
    )
    k.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    k.set_defaults(func=_cmd_ekos)


def run_to_tar(args: argparse.Namespace) -> int:
    """``ekodask run ... -o NAME.tar``: compute into the store NAME.zarr beside it, then export.

    The store stays (a second run resumes from it, ``ekodask export`` rewrites the tar).
    """
    from ..graph import run
    from .writer import export

    tar = Path(args.output)
    store = tar.with_suffix(".zarr")
    run(args.theory, args.operator, str(store), scheduler=args.scheduler, quiet=args.quiet)
    export(store, tar, overwrite=True)
    if not args.quiet:
        print(f"wrote the eko EKO {tar} (store {store})")
    return 0
