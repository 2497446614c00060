"""``drifttui persona``: list, show, validate and import personas."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from drifttui.persona import VARIANTS, Persona

CARD_SUFFIXES = (".png", ".json")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("persona", help="list, show, validate and import personas")
    actions = parser.add_subparsers(dest="persona_command", metavar="ACTION", required=True)

    p_list = actions.add_parser("list", help="list the persona library")
    p_list.add_argument("--paths", action="store_true", help="show each file's path instead of its summary")
    p_list.set_defaults(run=run_list)

    p_show = actions.add_parser("show", help="show a persona, or its assembled system prompts")
    p_show.add_argument("name", help="library name (e.g. mara-silva) or a .toml path")
    p_show.add_argument("--prompt", action="store_true", help="print the system prompt of every variant")
    p_show.add_argument("--variant", choices=tuple(VARIANTS), help="print only this variant's prompt (implies --prompt)")
    p_show.add_argument("--json", action="store_true", help="print the persona as JSON (its session-snapshot form)")
    p_show.set_defaults(run=run_show)

    p_validate = actions.add_parser("validate", help="check persona files (default: the whole library); exit 2 if any is invalid")
    p_validate.add_argument("files", nargs="*", help="persona .toml files (or .png/.json cards)")
    p_validate.set_defaults(run=run_validate)

    p_import = actions.add_parser("import", help="convert a SillyTavern character card (PNG or JSON, V1-V3) to a persona file")
    p_import.add_argument("card", help="card file: .png with a 'chara'/'ccv3' chunk, or .json")
    p_import.add_argument("-o", "--output", required=True, help="persona .toml to write ('-' for stdout)")
    p_import.add_argument("--user", default="User", help="what {{user}} becomes (default: User)")
    p_import.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    p_import.set_defaults(run=run_import)


def run_list(args: argparse.Namespace) -> int:
    from drifttui.errors import PersonaError
    from drifttui.persona import DEFAULT_NAME, library, library_dirs, load_persona

    entries = library()
    if not entries:
        print(f"no personas found in: {', '.join(map(str, library_dirs())) or '(no library directories)'}")
        return 0
    width = max(len(e.name) for e in entries) + 2
    print(f"{'NAME':{width}}{'KIND':16}{'FACTS':>6}{'PROBES':>7}  {'PATH' if args.paths else 'SUMMARY'}")
    for entry in entries:
        try:
            persona = load_persona(entry.path, warn=lambda message: None)
        except PersonaError as exc:
            print(f"{entry.name:{width}}INVALID: {exc.message} (run `drifttui persona validate {entry.path}`)")
            continue
        about = str(entry.path) if args.paths else (persona.summary or persona.name)
        if entry.name == DEFAULT_NAME and not args.paths:
            about += " [default]"
        print(f"{entry.name:{width}}{persona.kind:16}{len(persona.facts):>6}{len(persona.probes):>7}  {about}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from drifttui.persona import estimate_tokens, resolve_persona

    persona = resolve_persona(args.name)
    if args.json:
        print(json.dumps(persona.to_dict(), indent=2, ensure_ascii=False))
    elif args.variant:
        text = persona.system_prompt(args.variant)
        if text:
            print(text)
        else:
            print("(variant 'none': no system message; the model's own default applies)", file=sys.stderr)
    elif args.prompt:
        for variant in VARIANTS:
            text = persona.system_prompt(variant)
            parts = ", ".join(persona.parts(variant)) or "none"
            print(f"=== {variant} (parts: {parts}; about {estimate_tokens(text)} tokens) ===")
            print(text or "(no system message: the model's own default system prompt applies)")
            print()
    else:
        print(describe(persona))
    return 0


def describe(persona: Persona) -> str:
    """A readable summary of a persona for ``persona show``."""
    from drifttui.persona import estimate_tokens

    lines = [f"{persona.name}  ({persona.source or 'built in'})"]
    if persona.summary:
        lines.append(persona.summary)
    lines.append(f"kind: {persona.kind}" + (f"   tags: {', '.join(persona.tags)}" if persona.tags else ""))
    for label, value in (
        ("role", persona.role),
        ("personality", persona.personality),
        ("backstory", persona.backstory),
        ("scenario", persona.scenario),
        ("greeting", persona.greeting),
    ):
        if value:
            lines.append(_wrap(f"{label}: {value}"))
    for greeting in persona.alternate_greetings:
        lines.append(_wrap(f"alternate greeting: {greeting}"))
    style = persona.style
    for label, value in (
        ("speech", style.speech),
        ("habits", "; ".join(style.habits)),
        ("avoid", ", ".join(style.avoid)),
    ):
        if value:
            lines.append(_wrap(f"{label}: {value}"))
    for example in style.examples:
        lines.append(_wrap(f"example: {example}"))
    target = persona.target
    if target.mbti or target.big_five:
        traits = ", ".join(f"{k} {v:g}" for k, v in target.big_five.items())
        lines.append("target: " + "; ".join(x for x in (target.mbti, traits) if x))
    lines.append(f"conditioning (full variant): {', '.join(persona.parts('full')) or 'name only'}")
    if persona.facts:
        lines.append("facts:")
        lines += [f"  {key}: {value}" for key, value in persona.facts.items()]
    if persona.probes:
        lines.append("probes:")
        for probe in persona.probes:
            extra = f"  [fact: {probe.fact}]" if probe.fact else ""
            extra += f"  (reject: {' | '.join(probe.reject)})" if probe.reject else ""
            lines.append(f"  {probe.question}  → {' | '.join(probe.expect)}{extra}")
    if persona.prompt.template or persona.prompt.instruction:
        lines.append("prompt overrides: " + ", ".join(k for k in ("template", "instruction") if getattr(persona.prompt, k)))
    if persona.card:
        lines.append(f"card metadata kept (never in prompts): {', '.join(persona.card)}")
    lines.append(f"full prompt: about {estimate_tokens(persona.system_prompt())} tokens (see --prompt)")
    return "\n".join(lines)


def _wrap(text: str) -> str:
    return textwrap.fill(" ".join(text.split()), width=100, subsequent_indent="    ")


def run_validate(args: argparse.Namespace) -> int:
    from drifttui.errors import PersonaError
    from drifttui.persona import estimate_tokens, import_card, library, library_dirs, load_persona, print_warning

    files = [Path(f) for f in args.files] or [e.path for e in library(include_shadowed=True)]
    if not files:
        raise PersonaError(f"no persona files to validate in: {', '.join(map(str, library_dirs())) or '(none)'}")
    bad = 0
    for path in files:
        try:
            if path.suffix.lower() in CARD_SUFFIXES:
                persona = import_card(path, warn=print_warning)
            else:
                persona = load_persona(path, warn=print_warning)
        except PersonaError as exc:
            print(f"drifttui: error: {exc}", file=sys.stderr)
            bad += 1
            continue
        tokens = estimate_tokens(persona.system_prompt())
        print(f"ok: {path}: {persona.name}, {len(persona.facts)} facts, {len(persona.probes)} probes, full prompt about {tokens} tokens")
    if bad:
        print(f"drifttui: {bad} of {len(files)} persona files invalid", file=sys.stderr)
        return 2
    return 0


def run_import(args: argparse.Namespace) -> int:
    from drifttui.errors import DriftError, PersonaError
    from drifttui.persona import card_to_persona, estimate_tokens, load_persona, persona_toml, print_warning, read_card

    to_stdout = args.output == "-"
    out = Path(args.output).expanduser()
    if not to_stdout and out.exists() and not args.force:
        raise PersonaError("output file exists", path=out, hint="pass --force to overwrite it")
    card = read_card(args.card, warn=print_warning)
    persona = card_to_persona(card, user=args.user, warn=print_warning)
    header = (
        f"Imported from {Path(args.card).name} ({card.spec}, {card.origin}) by `drifttui persona import`.\n"
        "The [card] table keeps the card's other fields verbatim; it never reaches a prompt.\n"
        "Add [facts] and [[probes]] so factual drift can be measured (see docs/personas.md)."
    )
    text = persona_toml(persona, header=header)
    if to_stdout:
        sys.stdout.write(text)
        return 0
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PersonaError(f"cannot write the persona file: {exc.strerror}", path=out) from None
    written = load_persona(out, warn=lambda message: None)
    mine, theirs = persona.to_dict(), written.to_dict()
    mine.pop("source", None)
    theirs.pop("source", None)
    if mine != theirs:  # pragma: no cover - a writer bug, not bad input
        raise DriftError(f"{out}: the written persona does not read back identically (please report this)")
    print(
        f"wrote {out}: {persona.name} from a {card.spec} card ({card.origin}); "
        f"{len(persona.alternate_greetings)} alternate greetings, {len(persona.style.examples)} example lines, "
        f"full prompt about {estimate_tokens(persona.system_prompt())} tokens"
    )
    if not persona.facts:
        print(f"next: add [facts] and [[probes]] to {out} so factual drift can be measured")
    return 0
