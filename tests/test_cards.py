"""SillyTavern character cards: JSON and PNG (V1, V2, V3) → persona TOML, and bad cards."""

from __future__ import annotations

import base64
import copy
import json
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from drifttui.errors import PersonaError
from drifttui.persona import VARIANTS, Persona, import_card, load_persona, persona_toml
from drifttui.persona._card import example_lines, substitute

# ------------------------------------------------------------ card builders
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png(text: list[tuple[str, str]] = (), *, extra: list[bytes] = (), iend: bool = True) -> bytes:  # type: ignore[assignment]
    """A valid 1×1 greyscale PNG with the given ``tEXt`` chunks (written independently of drifttui)."""
    out = PNG_SIGNATURE + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    out += png_chunk(b"IDAT", zlib.compress(b"\x00\x80"))
    for keyword, value in text:
        out += png_chunk(b"tEXt", keyword.encode("latin-1") + b"\0" + value.encode("latin-1"))
    for chunk in extra:
        out += chunk
    if iend:
        out += png_chunk(b"IEND", b"")
    return out


def b64(obj: Any) -> str:
    return base64.b64encode(json.dumps(obj).encode("utf-8")).decode("ascii")


EXTENSIONS = {
    "talkativeness": "0.5",
    "fav": False,
    "depth_prompt": {"prompt": "{{char}} is wary.", "depth": 4, "role": "system"},
    "my_tool": {"list": [1, 2.5, {"deep": True}], "label": "ünïcode ☃"},
}


def v2_card(**data_overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Seraphina",
        "description": "{{char}} is a forest guardian who protects {{user}}. <USER> trusts <BOT>.",
        "personality": "gentle, protective",
        "scenario": "{{user}} wakes up in {{char}}'s glade.",
        "first_mes": "*{{char}} smiles at {{user}}* You are safe now.",
        "mes_example": (
            "<START>\n{{user}}: Who are you?\n{{char}}: I am {{char}}, keeper of this glade.\n"
            "I have watched you sleep.\n<START>\n{{char}}: *hums softly*\n"
        ),
        "creator_notes": "SECRET-CREATOR-NOTES: never put this in a prompt",
        "system_prompt": "{{original}} Write {{char}}'s reply only.",
        "post_history_instructions": "",
        "alternate_greetings": ["*{{Char}} waves* Hello, {{ user }}.", "Rest, {{user}}."],
        "tags": ["fantasy", "guardian"],
        "creator": "someone",
        "character_version": "1.2",
        "extensions": copy.deepcopy(EXTENSIONS),
    }
    data.update(data_overrides)
    return {"spec": "chara_card_v2", "spec_version": "2.0", "data": data}


def v3_card(name: str = "Seraphina", **data_overrides: Any) -> dict[str, Any]:
    card = v2_card(name=name, **data_overrides)
    card["spec"], card["spec_version"] = "chara_card_v3", "3.0"
    card["data"].update(
        {
            "nickname": data_overrides.get("nickname", ""),
            "group_only_greetings": ["Hello, everyone."],
            "assets": [{"type": "icon", "uri": "ccdefault:", "name": "main", "ext": "png"}],
            "creation_date": 1700000000,
            "source": ["https://example.invalid/card"],
        }
    )
    return card


def write_json(tmp_path: Path, obj: Any, name: str = "card.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def write_png(tmp_path: Path, blob: bytes, name: str = "card.png") -> Path:
    path = tmp_path / name
    path.write_bytes(blob)
    return path


def imported(path: Path, user: str = "Alex") -> tuple[Persona, list[str]]:
    warnings: list[str] = []
    return import_card(path, user=user, warn=warnings.append), warnings


def card_error(path: Path) -> str:
    with pytest.raises(PersonaError) as info:
        import_card(path, warn=lambda m: None)
    return str(info.value)


def round_trip(persona: Persona, tmp_path: Path) -> tuple[Persona, str]:
    text = persona_toml(persona, header="test")
    out = tmp_path / "out.toml"
    out.write_text(text, encoding="utf-8")
    warnings: list[str] = []
    return load_persona(out, warn=warnings.append), text


def without_source(persona: Persona) -> dict[str, Any]:
    data = persona.to_dict()
    data.pop("source", None)
    return data


# ------------------------------------------------------------------ mapping
def check_seraphina(persona: Persona) -> None:
    assert persona.name == "Seraphina"
    assert persona.backstory == "Seraphina is a forest guardian who protects Alex. Alex trusts Seraphina."
    assert persona.personality == "gentle, protective"
    assert persona.scenario == "Alex wakes up in Seraphina's glade."
    assert persona.greeting == "*Seraphina smiles at Alex* You are safe now."
    assert persona.alternate_greetings == ["*Seraphina waves* Hello, Alex.", "Rest, Alex."]
    assert persona.style.examples == ["I am Seraphina, keeper of this glade. I have watched you sleep.", "*hums softly*"]
    assert persona.prompt.instruction == "{{original}} Write Seraphina's reply only."
    assert persona.tags == ["fantasy", "guardian"]
    assert persona.card["extensions"] == EXTENSIONS
    assert persona.card["creator_notes"].startswith("SECRET-CREATOR-NOTES")
    assert persona.card["creator"] == "someone" and persona.card["character_version"] == "1.2"
    assert "{{char}}" in persona.card["mes_example"]  # kept raw
    assert "post_history_instructions" not in persona.card  # empty values are left out


def test_v2_json_card_maps_onto_a_persona(tmp_path: Path) -> None:
    persona, warnings = imported(write_json(tmp_path, v2_card()))
    check_seraphina(persona)
    assert persona.card["spec"] == "chara_card_v2" and persona.card["spec_version"] == "2.0"
    assert warnings == []


def test_system_prompt_original_becomes_the_default_instruction(tmp_path: Path) -> None:
    persona, _ = imported(write_json(tmp_path, v2_card()))
    assert persona.system_prompt().endswith(
        "Stay in character as Seraphina. Never say you are an AI, a language model or an assistant. "
        "Write Seraphina's reply only."
    )


def test_creator_notes_and_card_metadata_never_reach_a_prompt(tmp_path: Path) -> None:
    persona, _ = imported(write_json(tmp_path, v2_card(post_history_instructions="PHI-TEXT")))
    for variant in VARIANTS:
        text = persona.system_prompt(variant)
        assert "SECRET-CREATOR-NOTES" not in text
        assert "PHI-TEXT" not in text
        assert "talkativeness" not in text and "someone" not in text


def test_json_card_round_trips_to_toml(tmp_path: Path) -> None:
    persona, _ = imported(write_json(tmp_path, v2_card()))
    again, text = round_trip(persona, tmp_path)
    assert without_source(again) == without_source(persona)
    check_seraphina(again)
    assert "[card.extensions]" in text  # readable TOML when the values allow it
    assert again.system_prompt() == persona.system_prompt()


def test_nulls_in_extensions_survive_the_round_trip(tmp_path: Path) -> None:
    card = v2_card()
    card["data"]["extensions"]["my_tool"]["missing"] = None
    card["data"]["character_book"] = {"entries": [{"keys": ["glade"], "content": "A glade.", "comment": None}]}
    persona, warnings = imported(write_json(tmp_path, card))
    assert any("character_book is kept in [card] but not used" in w for w in warnings)
    again, text = round_trip(persona, tmp_path)
    assert "extensions_json = " in text and "character_book_json = " in text
    assert again.card["extensions"]["my_tool"]["missing"] is None
    assert again.card["extensions"] == card["data"]["extensions"]
    assert again.card["character_book"] == card["data"]["character_book"]
    assert without_source(again) == without_source(persona)


def test_png_v2_card_round_trips_to_toml(tmp_path: Path) -> None:
    path = write_png(tmp_path, make_png([("chara", b64(v2_card()))]))
    persona, warnings = imported(path)
    assert warnings == []
    check_seraphina(persona)
    assert persona.source == path
    again, _ = round_trip(persona, tmp_path)
    assert without_source(again) == without_source(persona)


def test_png_v3_chunk_wins_over_v2(tmp_path: Path) -> None:
    blob = make_png([("ccv3", b64(v3_card(name="New Sera"))), ("chara", b64(v2_card(name="Old Sera")))])
    persona, _ = imported(write_png(tmp_path, blob))
    assert persona.name == "New Sera"
    assert persona.card["spec"] == "chara_card_v3"
    # order in the file does not matter
    blob = make_png([("chara", b64(v2_card(name="Old Sera"))), ("ccv3", b64(v3_card(name="New Sera")))])
    assert imported(write_png(tmp_path, blob, "b.png"))[0].name == "New Sera"


def test_broken_v3_chunk_falls_back_to_v2_with_a_warning(tmp_path: Path) -> None:
    blob = make_png([("chara", b64(v2_card(name="Old Sera"))), ("ccv3", "@@not base64@@")])
    persona, warnings = imported(write_png(tmp_path, blob))
    assert persona.name == "Old Sera"
    assert len(warnings) == 1
    assert "the 'ccv3' chunk is not valid base64" in warnings[0] and "using the 'chara' chunk instead" in warnings[0]


def test_v3_nickname_replaces_char_and_v3_fields_are_kept(tmp_path: Path) -> None:
    persona, _ = imported(write_json(tmp_path, v3_card(nickname="Sera")))
    assert persona.name == "Seraphina"
    assert persona.greeting == "*Sera smiles at Alex* You are safe now."
    assert persona.card["assets"] == [{"type": "icon", "uri": "ccdefault:", "name": "main", "ext": "png"}]
    assert persona.card["group_only_greetings"] == ["Hello, everyone."]
    assert persona.card["creation_date"] == 1700000000
    assert persona.card["nickname"] == "Sera"


def test_v1_card_is_read(tmp_path: Path) -> None:
    v1 = {"name": "Ada", "description": "{{char}} builds engines.", "personality": "precise", "first_mes": "Hello {{user}}.", "scenario": "", "mes_example": ""}
    persona, _ = imported(write_json(tmp_path, v1), user="Charles")
    assert (persona.name, persona.backstory, persona.greeting) == ("Ada", "Ada builds engines.", "Hello Charles.")
    assert persona.summary == "Imported from a SillyTavern card (chara_card_v1)"
    assert "spec" not in persona.card


def test_itxt_chunks_are_read(tmp_path: Path) -> None:
    payload = zlib.compress(b64(v2_card(name="Compressed")).encode())
    itxt = png_chunk(b"iTXt", b"chara\0" + b"\x01\x00" + b"\0" + b"\0" + payload)
    persona, _ = imported(write_png(tmp_path, make_png(extra=[itxt])))
    assert persona.name == "Compressed"


def test_unknown_top_level_data_fields_are_preserved(tmp_path: Path) -> None:
    persona, _ = imported(write_json(tmp_path, v2_card(future_field={"x": [1, 2]})))
    assert persona.card["future_field"] == {"x": [1, 2]}


def test_example_lines_and_substitution() -> None:
    block = "<START>\n<USER>: hi\n<BOT>: one\n  two\n{{user}}: ok\nSera: three\n<START>\nnoise"
    assert example_lines(block, names=("Sera",)) == ["one two", "three"]
    assert substitute("{{CHAR}} {{ user }} <bot> <Char> <USER> {{original}}", char="C", user="U") == "C U C C U {{original}}"


# ------------------------------------------------------------------ bad cards
def test_png_without_a_card(tmp_path: Path) -> None:
    message = card_error(write_png(tmp_path, make_png([("Software", "GIMP")])))
    assert message.endswith("no character card in this PNG: no 'chara' or 'ccv3' text chunk (text chunks found: Software)")


def test_truncated_png(tmp_path: Path) -> None:
    blob = make_png([("chara", b64(v2_card()))])
    message = card_error(write_png(tmp_path, blob[: len(blob) - 200]))
    assert "truncated PNG: chunk 'tEXt' at byte " in message and "the file ends at byte" in message
    message = card_error(write_png(tmp_path, make_png([("chara", b64(v2_card()))], iend=False), "noend.png"))
    assert "truncated PNG: the file ends at byte" in message and "before the IEND chunk" in message


def test_corrupt_png_crc(tmp_path: Path) -> None:
    blob = bytearray(make_png([("chara", b64(v2_card()))]))
    at = blob.index(b"tEXt") + 20
    blob[at] ^= 0x01
    assert "corrupt PNG: CRC mismatch in chunk 'tEXt'" in card_error(write_png(tmp_path, bytes(blob)))


def test_invalid_base64(tmp_path: Path) -> None:
    message = card_error(write_png(tmp_path, make_png([("chara", "this is *not* base64!")])))
    assert "the 'chara' chunk is not valid base64" in message


def test_invalid_json_in_chunk(tmp_path: Path) -> None:
    bad = base64.b64encode(b'{"spec": "chara_card_v2", "data": {name: 1}}').decode()
    message = card_error(write_png(tmp_path, make_png([("chara", bad)])))
    assert "the 'chara' chunk holds invalid JSON: Expecting property name enclosed in double quotes (line 1, column 36 of the decoded text)" in message


def test_chunk_that_is_not_utf8(tmp_path: Path) -> None:
    bad = base64.b64encode(b"\xff\xfe{}").decode()
    assert "the 'chara' chunk does not decode to UTF-8 text" in card_error(write_png(tmp_path, make_png([("chara", bad)])))


def test_invalid_json_file_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "card.json"
    path.write_text('{\n  "spec": "chara_card_v2",\n  "data": {,}\n}', encoding="utf-8")
    assert card_error(path) == f"{path}:3:12: invalid JSON: Expecting property name enclosed in double quotes"


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        ([1, 2], "not a character card: the JSON is not a JSON object"),
        ({"spec": "chara_card_v9", "data": {"name": "X"}}, "unsupported card spec 'chara_card_v9' (JSON); expected chara_card_v2 or chara_card_v3"),
        ({"spec": "chara_card_v2"}, "card field 'data' is missing or not an object"),
        ({"spec": "chara_card_v2", "data": {"description": "no name"}}, "card field 'data.name' is missing or empty"),
        ({"spec": "chara_card_v2", "data": {"name": "X", "first_mes": 5}}, "card field 'data.first_mes' must be a string, got int"),
        ({"spec": "chara_card_v2", "data": {"name": "X", "alternate_greetings": "hi"}}, "card field 'data.alternate_greetings' must be an array of strings"),
        ({"description": "neither spec nor name"}, "unsupported card spec None"),
    ],
)
def test_malformed_card_json(tmp_path: Path, obj: Any, expected: str) -> None:
    assert expected in card_error(write_json(tmp_path, obj))


def test_multi_megabyte_description_is_refused_naming_the_field(tmp_path: Path) -> None:
    card = v2_card(description="x" * 3_000_000)
    expected = "card field 'data.description' is 3,000,000 characters; the limit is 100,000 per field"
    assert expected in card_error(write_json(tmp_path, card))
    assert expected in card_error(write_png(tmp_path, make_png([("chara", b64(card))])))


def test_oversized_alternate_greeting_names_its_index(tmp_path: Path) -> None:
    card = v2_card(alternate_greetings=["ok", "y" * 100_001])
    assert "card field 'data.alternate_greetings[1]' is 100,001 characters" in card_error(write_json(tmp_path, card))


def test_card_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("drifttui.persona._card.MAX_CARD_FILE_BYTES", 100)
    path = write_json(tmp_path, v2_card())
    assert f"file is {path.stat().st_size:,} bytes; the limit for a card is 100" in card_error(path)


def test_not_a_card_at_all(tmp_path: Path) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(b"\x00\xff\x10 binary junk")
    assert card_error(path).endswith("not a character card: expected a PNG image or a UTF-8 JSON file")
    assert card_error(tmp_path / "missing.png").endswith("missing.png: character card not found")
    assert card_error(tmp_path).endswith("is a directory, not a character card")


def test_absurdly_nested_card_json_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"spec": "chara_card_v2", "data": {"name": "X", "extensions": ' + "[" * 100 + "]" * 100 + "}}", encoding="utf-8")
    assert "invalid card: JSON nested deeper than 64 levels" in card_error(deep)
    deeper = tmp_path / "deeper.json"
    deeper.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    assert "nested deeper than 64 levels" in card_error(deeper)
