"""Validating a parsed persona file (or ``to_dict`` output) into a :class:`Persona`.

Errors name the field (``probes[1].expect``) and, when the TOML text is at
hand, the line it is on. Unknown fields are warnings, never errors.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drifttui.errors import PersonaError, UserError
from drifttui.persona._model import Persona, Probe, PromptSpec, Style, Target
from drifttui.persona._prompt import MACRO_RE, estimate_tokens, render, unknown_macros
from drifttui.persona._vocab import (
    BIG_FIVE,
    FACT_KEYS,
    KINDS,
    MAX_FIELD_CHARS,
    PARTS,
    PROMPT_TOKEN_BUDGET,
)

Warn = Callable[[str], None]
FieldPath = tuple[str | int, ...]

_MBTI = re.compile(r"^[EI][SN][TF][JP](-[AT])?$")
_TEXT_FIELDS = ("role", "personality", "backstory", "scenario", "greeting", "summary")
LONG_FACT = 80
"""Facts longer than this many characters get a warning: the scorer compares short values."""


def parse_persona(
    data: dict[str, Any], *, path: str | Path | None = None, text: str | None = None, warn: Warn
) -> Persona:
    """Check ``data`` (a parsed persona file) and build the :class:`Persona`.

    Args:
        data: The parsed TOML (or :meth:`Persona.to_dict` output without ``source``).
        path: The file, for messages.
        text: The file's TOML text, to point messages at a line.
        warn: Called with one line per warning (unknown field, long prompt…).

    Raises:
        PersonaError: A required field is missing or a field has the wrong type or value.
    """
    ctx = _Context(path, text, warn)
    try:
        return _parse(ctx, data)
    finally:
        ctx.flush()


def _parse(ctx: _Context, data: dict[str, Any]) -> Persona:
    top = _Table(ctx, data, ())
    name = top.string("name", required=True, single_line=True, max_chars=200)
    strings = {key: top.string(key) for key in _TEXT_FIELDS}
    kind = top.choice("kind", KINDS, default="character")
    conditioning = top.conditioning("conditioning")
    persona = Persona(
        name=name,
        role=strings["role"],
        personality=strings["personality"],
        backstory=strings["backstory"],
        greeting=strings["greeting"],
        alternate_greetings=top.strings("alternate_greetings"),
        scenario=strings["scenario"],
        summary=strings["summary"],
        kind=kind,
        tags=top.strings("tags"),
        conditioning=conditioning,
        style=_style(top.table("style")),
        target=_target(top.table("target")),
        facts=_facts(top.table("facts")),
        prompt=_prompt(top.table("prompt")),
        card=top.json_table("card"),
    )
    persona.probes = _probes(top, persona.facts)
    top.finish()
    _lint(ctx, persona)
    return persona


@dataclass
class _Context:
    path: str | Path | None
    text: str | None
    warn: Warn
    pending: list[tuple[int, str]] = field(default_factory=list)

    def error(self, where: FieldPath, message: str) -> PersonaError:
        return PersonaError(message, path=self.path, line=locate(self.text, where))

    def warning(self, where: FieldPath, message: str) -> None:
        """Queue a warning; :meth:`flush` sends them in file order (unlocated ones last)."""
        line = locate(self.text, where) if where else None
        self.pending.append((line or 1 << 30, str(UserError(message, path=self.path, line=line))))

    def flush(self) -> None:
        for _, message in sorted(self.pending, key=lambda item: item[0]):
            self.warn(message)
        self.pending.clear()


class _Table:
    """Typed, field-named access to one TOML table; remembers which keys were read."""

    def __init__(self, ctx: _Context, data: dict[str, Any], where: FieldPath) -> None:
        self.ctx = ctx
        self.data = data
        self.where = where
        self.seen: set[str] = set()

    def label(self, key: str | int) -> str:
        return dotted((*self.where, key))

    def get(self, key: str) -> Any:
        self.seen.add(key)
        return self.data.get(key)

    def fail(self, key: str | int, message: str) -> PersonaError:
        return self.ctx.error((*self.where, key), message)

    def type_error(self, key: str | int, wanted: str, value: Any, hint: str = "") -> PersonaError:
        extra = f" ({hint})" if hint else ""
        return self.fail(key, f"field '{self.label(key)}' must be {wanted}, got {type_name(value)}{extra}")

    def string(self, key: str, *, required: bool = False, single_line: bool = False, max_chars: int = MAX_FIELD_CHARS) -> str:
        value = self.get(key)
        if value is None:
            if required:
                raise self.fail(key, f"missing required field '{self.label(key)}'")
            return ""
        if not isinstance(value, str):
            raise self.type_error(key, "a string", value)
        return self.check_text(key, value, required=required, single_line=single_line, max_chars=max_chars)

    def check_text(self, key: str | int, value: str, *, required: bool, single_line: bool = False, max_chars: int = MAX_FIELD_CHARS) -> str:
        if len(value) > max_chars:
            raise self.fail(key, f"field '{self.label(key)}' is {len(value):,} characters; the limit is {max_chars:,}")
        if required and not value.strip():
            raise self.fail(key, f"field '{self.label(key)}' is empty")
        if single_line and "\n" in value.strip():
            raise self.fail(key, f"field '{self.label(key)}' must be a single line")
        return value.strip() if single_line else value

    def strings(self, key: str, *, required: bool = False) -> list[str]:
        value = self.get(key)
        if value is None:
            if required:
                raise self.fail(key, f"missing required field '{self.label(key)}'")
            return []
        if not isinstance(value, list):
            hint = f'write {key} = ["{value}"]' if isinstance(value, str) and len(value) < 40 else ""
            raise self.type_error(key, "an array of strings", value, hint)
        if required and not value:
            raise self.fail(key, f"field '{self.label(key)}' is empty: list at least one string")
        items = _Table(self.ctx, {}, (*self.where, key))
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise items.type_error(i, "a string", item)
            out.append(items.check_text(i, item, required=True))
        return out

    def choice(self, key: str, allowed: tuple[str, ...], *, default: str) -> str:
        value = self.string(key, single_line=True) or default
        if value not in allowed:
            raise self.fail(key, f"field '{self.label(key)}' must be one of {', '.join(allowed)}; got {value!r}")
        return value

    def conditioning(self, key: str) -> tuple[str, ...]:
        if self.data.get(key) is None:
            self.seen.add(key)
            return PARTS
        parts = self.strings(key, required=True)
        for i, part in enumerate(parts):
            if part not in PARTS:
                raise self.fail(key, f"field '{self.label(key)}[{i}]' is {part!r}; parts are: {', '.join(PARTS)}")
        return tuple(dict.fromkeys(parts))

    def table(self, key: str) -> _Table:
        value = self.get(key)
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise self.type_error(key, "a table", value, f"write [{self.label(key)}] on its own line")
        return _Table(self.ctx, value, (*self.where, key))

    def json_table(self, key: str) -> dict[str, Any]:
        table = self.table(key)
        _check_json(table, table.data, ())
        return _json_copy(table.data)

    def finish(self) -> None:
        """Warn about every key nobody asked for."""
        for key in self.data:
            if key in self.seen:
                continue
            close = difflib.get_close_matches(key, sorted(self.seen), n=1, cutoff=0.75)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.ctx.warning((*self.where, key), f"unknown field '{self.label(key)}' ignored{hint}")


def _style(table: _Table) -> Style:
    style = Style(
        speech=table.string("speech"),
        habits=table.strings("habits"),
        avoid=table.strings("avoid"),
        examples=table.strings("examples"),
    )
    table.finish()
    return style


def _target(table: _Table) -> Target:
    mbti = table.string("mbti", single_line=True).upper()
    if mbti and not _MBTI.match(mbti):
        raise table.fail("mbti", f"field 'target.mbti' must be a four-letter MBTI type like 'INTJ', got {mbti!r}")
    traits = table.table("big_five")
    big_five: dict[str, float] = {}
    for trait, value in traits.data.items():
        if trait not in BIG_FIVE:
            raise traits.fail(trait, f"field '{traits.label(trait)}' is not a Big Five trait ({', '.join(BIG_FIVE)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise traits.type_error(trait, "a number from 0 to 1", value)
        if not 0 <= value <= 1:
            raise traits.fail(trait, f"field '{traits.label(trait)}' must be from 0 to 1, got {value}")
        big_five[trait] = float(value)
        traits.seen.add(trait)
    table.finish()
    return Target(mbti=mbti, big_five=big_five)


def _facts(table: _Table) -> dict[str, str]:
    facts: dict[str, str] = {}
    for key, value in table.data.items():
        table.seen.add(key)
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise table.type_error(key, "a string (one short value)", value)
        text = table.check_text(key, str(value), required=True, single_line=True, max_chars=1000)
        if key not in FACT_KEYS:
            close = difflib.get_close_matches(key, list(FACT_KEYS), n=1, cutoff=0.8)
            if close:
                table.ctx.warning((*table.where, key), f"fact key '{key}' is not in the vocabulary; did you mean '{close[0]}'?")
        if len(text) > LONG_FACT:
            table.ctx.warning((*table.where, key), f"fact '{key}' is {len(text)} characters; facts should be short single values")
        facts[key] = text
    return facts


def _prompt(table: _Table) -> PromptSpec:
    spec = PromptSpec(template=table.string("template"), instruction=table.string("instruction"))
    for key in ("template", "instruction"):
        for name in unknown_macros(getattr(spec, key)):
            table.ctx.warning((*table.where, key), f"field 'prompt.{key}': unknown macro {{{{{name}}}}} left as written")
    table.finish()
    return spec


def _probes(top: _Table, facts: dict[str, str]) -> list[Probe]:
    value = top.get("probes")
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise top.type_error("probes", "an array of tables", value, "write each probe as a [[probes]] table")
    if not value:
        raise top.fail("probes", "field 'probes' is empty: add a [[probes]] table with question and expect, or remove it")
    probes = []
    for i, item in enumerate(value):
        table = _Table(top.ctx, item, ("probes", i))
        question = table.string("question", required=True)
        expect = table.strings("expect", required=True)
        fact = table.string("fact", single_line=True)
        if fact and fact not in facts:
            raise table.fail("fact", f"field 'probes[{i}].fact' is {fact!r}, which is not a key of [facts]")
        reject = table.strings("reject")
        table.finish()
        probes.append(Probe(question.strip(), tuple(expect), fact=fact, reject=tuple(reject)))
    return probes


def _lint(ctx: _Context, persona: Persona) -> None:
    """Warnings about a valid persona that will not work well."""
    for key in _TEXT_FIELDS:
        if MACRO_RE.search(getattr(persona, key)):
            ctx.warning((key,), f"field '{key}' contains a {{{{macro}}}}; macros are expanded only in [prompt] fields")
    for part in persona.conditioning if persona.conditioning != PARTS else ():
        if part not in persona.parts("full"):
            ctx.warning(("conditioning",), f"conditioning lists '{part}' but the persona has no {part}")
    tokens = estimate_tokens(render(persona, "full"))
    if tokens > PROMPT_TOKEN_BUDGET:
        ctx.warning(
            (),
            f"the full prompt is about {tokens} tokens; keep it under {PROMPT_TOKEN_BUDGET} for the default model's 2048-token window",
        )


def _check_json(table: _Table, value: Any, where: FieldPath) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _check_json(table, v, (*where, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_json(table, v, (*where, i))
    elif value is not None and not isinstance(value, (str, int, float, bool)):
        key = (*table.where, *where)
        raise table.ctx.error(key, f"field '{dotted(key)}' must be plain data (string, number, boolean, array, table), got {type_name(value)}")


def _json_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_copy(v) for v in value]
    return value


def dotted(field: FieldPath) -> str:
    """``("probes", 1, "expect")`` → ``probes[1].expect``."""
    out = ""
    for part in field:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def type_name(value: Any) -> str:
    """The TOML name of ``value``'s type, with an article."""
    if isinstance(value, bool):
        return "a boolean"
    for kind, name in ((str, "a string"), (int, "an integer"), (float, "a float"), (list, "an array"), (dict, "a table")):
        if isinstance(value, kind):
            return name
    if value is None:
        return "null"
    return "a date/time" if hasattr(value, "isoformat") else type(value).__name__


# ------------------------------------------------------------------ locating
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")


def locate(text: str | None, field: FieldPath) -> int | None:
    """Best-effort 1-based line of ``field`` in TOML ``text`` (``None`` if not found)."""
    if not text or not field:
        return None
    lines = text.split("\n")
    heads = [(i, _norm(m.group(2)), m.group(1) == "[[") for i, line in enumerate(lines) if (m := _HEADER.match(line))]

    def region_end(start: int) -> int:
        return min((h[0] for h in heads if h[0] >= start), default=len(lines))

    start, end = 0, region_end(0)
    prefix: list[str] = []
    for n, part in enumerate(field):
        last = n == len(field) - 1
        if isinstance(part, int):
            arrays = [h[0] for h in heads if h[1] == ".".join(prefix) and h[2]]
            if part >= len(arrays):
                return None
            start, end = arrays[part] + 1, region_end(arrays[part] + 1)
            if last:
                return arrays[part] + 1
            continue
        for j in _key_lines(lines, start, end, part):
            return j + 1
        prefix.append(part)
        name = ".".join(prefix)
        tables = [h[0] for h in heads if h[1] == name and not h[2]]
        arrays = [h[0] for h in heads if h[1] == name and h[2]]
        if tables:
            start, end = tables[0] + 1, region_end(tables[0] + 1)
            if last:
                return tables[0] + 1
        elif arrays:
            if last:
                return arrays[0] + 1
        else:
            return None
    return None


def _key_lines(lines: list[str], start: int, end: int, key: str) -> Iterator[int]:
    pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*[.=]""")
    return (j for j in range(start, end) if pattern.match(lines[j]))


def _norm(name: str) -> str:
    return re.sub(r"\s*\.\s*", ".", name).replace('"', "").replace("'", "")
