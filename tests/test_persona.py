"""Personas: the TOML format, validation messages, prompt assembly, the shipped library."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from drifttui.errors import PersonaError
from drifttui.persona import (
    DEFAULT_INSTRUCTION,
    DEFAULT_TEMPLATE,
    FACT_KEYS,
    PARTS,
    VARIANTS,
    Persona,
    Probe,
    default_persona,
    estimate_tokens,
    library,
    load_persona,
    resolve_persona,
)
from drifttui.persona._toml import dumps, loads

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "personas"
PACKAGE_COPY = ROOT / "drifttui" / "data" / "personas"

ISSUE_EXAMPLE = '''
name = "Mara Silva"                       # required
role = "dentist"                          # optional: role conditioning
personality = "introverted, analytical, dry humour"   # optional: personality conditioning
backstory = """Grew up in Porto ..."""    # optional
greeting = "Mm. Come in, sit down."       # optional first assistant message

[facts]                                   # optional: single-valued facts the persona keeps
age = "34"
city = "Lisbon"
job = "dentist"
pet = "a grey cat named Olive"

[[probes]]                                # optional: Q&A consistency probes
question = "How old are you?"
expect = ["34", "thirty-four"]            # any of these, case-insensitive, in the answer
'''


def write(tmp_path: Path, text: str, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_with_warnings(path: Path) -> tuple[Persona, list[str]]:
    warnings: list[str] = []
    return load_persona(path, warn=warnings.append), warnings


def error_of(path: Path) -> str:
    with pytest.raises(PersonaError) as info:
        load_persona(path, warn=lambda m: None)
    return str(info.value)


def shipped() -> list[Path]:
    return sorted(LIBRARY.glob("*.toml"))


# ---------------------------------------------------------------- the format
def test_issue_example_core_is_accepted_verbatim(tmp_path: Path) -> None:
    persona, warnings = load_with_warnings(write(tmp_path, ISSUE_EXAMPLE))
    assert warnings == []
    assert persona.name == "Mara Silva"
    assert persona.role == "dentist"
    assert persona.personality == "introverted, analytical, dry humour"
    assert persona.backstory == "Grew up in Porto ..."
    assert persona.greeting == "Mm. Come in, sit down."
    assert persona.facts == {"age": "34", "city": "Lisbon", "job": "dentist", "pet": "a grey cat named Olive"}
    assert persona.probes == [Probe("How old are you?", ("34", "thirty-four"))]
    assert persona.alternate_greetings == []
    assert persona.conditioning == PARTS
    assert persona.source == tmp_path / "p.toml"


def test_only_name_is_required(tmp_path: Path) -> None:
    persona, warnings = load_with_warnings(write(tmp_path, 'name = "Solo"\n'))
    assert (persona.name, persona.facts, persona.probes, warnings) == ("Solo", {}, [], [])
    assert persona.system_prompt() == f"You are Solo.\n{DEFAULT_INSTRUCTION.replace('{{char}}', 'Solo')}"


def test_numeric_facts_are_read_as_strings(tmp_path: Path) -> None:
    persona = load_persona(write(tmp_path, 'name = "N"\n[facts]\nage = 34\nheight_m = 1.7\n'), warn=lambda m: None)
    assert persona.facts == {"age": "34", "height_m": "1.7"}


def test_extended_fields_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '''
        name = "Ext"
        personality = "wry"
        kind = "user-simulator"
        tags = ["a", "b"]
        scenario = "A rainy pier."
        alternate_greetings = ["Hi.", "Yo."]
        conditioning = ["personality", "facts"]
        [style]
        speech = "clipped"
        habits = ["sighs"]
        avoid = ["emoji"]
        examples = ["No."]
        [target]
        mbti = "intj-a"
        big_five = { openness = 1, neuroticism = 0.25 }
        [prompt]
        instruction = "{{original}} Be brief."
        ''',
    )
    persona, warnings = load_with_warnings(path)
    assert warnings == [f"{path}:8: conditioning lists 'facts' but the persona has no facts"]
    assert persona.kind == "user-simulator" and persona.tags == ["a", "b"]
    assert persona.alternate_greetings == ["Hi.", "Yo."]
    assert persona.conditioning == ("personality", "facts")
    assert (persona.style.speech, persona.style.habits, persona.style.avoid, persona.style.examples) == (
        "clipped",
        ["sighs"],
        ["emoji"],
        ["No."],
    )
    assert persona.target.mbti == "INTJ-A"
    assert persona.target.big_five == {"openness": 1.0, "neuroticism": 0.25}
    assert persona.prompt.instruction == "{{original}} Be brief."


# ------------------------------------------------------------ bad input
def test_toml_syntax_error_gives_file_line_col_and_reason(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "X"\nrole = dentist\n')
    message = error_of(path)
    assert message.startswith(f"{path}:2:8: TOML syntax error: ")
    assert "Invalid value" in message


def test_toml_error_at_end_of_document_has_a_position(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "X"\nbackstory = """never closed\n')
    message = error_of(path)
    assert message.startswith(f"{path}:")
    assert "TOML syntax error" in message and "Unterminated string" in message


def test_missing_name_names_the_field(tmp_path: Path) -> None:
    assert error_of(write(tmp_path, 'role = "dentist"\n')).endswith("missing required field 'name'")


def test_empty_name(tmp_path: Path) -> None:
    assert "field 'name' is empty" in error_of(write(tmp_path, 'name = "  "\n'))


@pytest.mark.parametrize(
    ("body", "expected", "line"),
    [
        ('name = "X"\nrole = 3\n', "field 'role' must be a string, got an integer", 2),
        ('name = "X"\n\n[facts]\nage = [34]\n', "field 'facts.age' must be a string (one short value), got an array", 4),
        ('name = "X"\nfacts = "age 34"\n', "field 'facts' must be a table, got a string", 2),
        ('name = "X"\nalternate_greetings = "Hi"\n', 'field \'alternate_greetings\' must be an array of strings, got a string (write alternate_greetings = ["Hi"])', 2),
        ('name = "X"\ntags = ["a", 2]\n', "field 'tags[1]' must be a string, got an integer", None),
        ('name = "X"\n[[probes]]\nquestion = "Q?"\nexpect = "34"\n', "field 'probes[0].expect' must be an array of strings, got a string", 4),
        ('name = "X"\n[style]\nhabits = [true]\n', "field 'style.habits[0]' must be a string, got a boolean", None),
        ('name = "X"\nprobes = "none"\n', "field 'probes' must be an array of tables, got a string", 2),
        ('name = ["X"]\n', "field 'name' must be a string, got an array", 1),
    ],
)
def test_wrong_types_name_the_field(tmp_path: Path, body: str, expected: str, line: int | None) -> None:
    path = write(tmp_path, body)
    message = error_of(path)
    assert expected in message
    if line is not None:
        assert message.startswith(f"{path}:{line}: ")


def test_empty_probes_array_is_an_error(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, 'name = "X"\nprobes = []\n'))
    assert "field 'probes' is empty" in message


def test_probe_with_empty_expect_names_the_probe(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'name = "X"\n\n[[probes]]\nquestion = "A?"\nexpect = ["a"]\n\n[[probes]]\nquestion = "B?"\nexpect = []\n',
    )
    message = error_of(path)
    assert message.startswith(f"{path}:9: ")
    assert "field 'probes[1].expect' is empty" in message


def test_probe_without_question(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, 'name = "X"\n[[probes]]\nexpect = ["a"]\n'))
    assert "missing required field 'probes[0].question'" in message


def test_probe_fact_must_be_a_fact_key(tmp_path: Path) -> None:
    body = 'name = "X"\n[facts]\nage = "3"\n[[probes]]\nquestion = "Age?"\nexpect = ["3"]\nfact = "agee"\n'
    assert "field 'probes[0].fact' is 'agee', which is not a key of [facts]" in error_of(write(tmp_path, body))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[target]\nmbti = "XYZW"', "field 'target.mbti' must be a four-letter MBTI type like 'INTJ', got 'XYZW'"),
        ("[target]\nbig_five = { openness = 1.5 }", "field 'target.big_five.openness' must be from 0 to 1, got 1.5"),
        ("[target]\nbig_five = { openess = 0.5 }", "field 'target.big_five.openess' is not a Big Five trait"),
        ('[target]\nbig_five = { openness = "high" }', "field 'target.big_five.openness' must be a number from 0 to 1, got a string"),
        ('conditioning = ["role", "voice"]', "field 'conditioning[1]' is 'voice'; parts are: role, personality"),
        ("conditioning = []", "field 'conditioning' is empty"),
        ('kind = "narrator"', "field 'kind' must be one of character, user-simulator; got 'narrator'"),
        ('[facts]\ncity = "Lisbon\\nPorto"', "field 'facts.city' must be a single line"),
    ],
)
def test_bad_values_name_the_field(tmp_path: Path, body: str, expected: str) -> None:
    assert expected in error_of(write(tmp_path, f'name = "X"\n{body}\n'))


def test_unknown_fields_warn_with_file_and_field_and_still_load(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'name = "X"\ncolour = "blue"\npersonalty = "shy"\n\n[style]\ntone = "flat"\n\n[[probes]]\nquestion = "Q?"\nexpect = ["a"]\nweight = 2\n',
    )
    persona, warnings = load_with_warnings(path)
    assert persona.name == "X" and persona.personality == ""
    assert f"{path}:2: unknown field 'colour' ignored" in warnings
    assert f"{path}:3: unknown field 'personalty' ignored; did you mean 'personality'?" in warnings
    assert f"{path}:6: unknown field 'style.tone' ignored" in warnings
    assert f"{path}:11: unknown field 'probes[0].weight' ignored" in warnings
    assert len(warnings) == 4


def test_misspelt_fact_key_warns(tmp_path: Path) -> None:
    _, warnings = load_with_warnings(write(tmp_path, 'name = "X"\n[facts]\nhomtown = "Porto"\n'))
    assert warnings == [f"{tmp_path / 'p.toml'}:3: fact key 'homtown' is not in the vocabulary; did you mean 'hometown'?"]


def test_macro_in_plain_field_warns(tmp_path: Path) -> None:
    _, warnings = load_with_warnings(write(tmp_path, 'name = "X"\nbackstory = "{{char}} grew up."\n'))
    assert any("field 'backstory' contains a {{macro}}" in w for w in warnings)


def test_unknown_macro_in_template_warns_and_stays_literal(tmp_path: Path) -> None:
    persona, warnings = load_with_warnings(write(tmp_path, 'name = "X"\n[prompt]\ntemplate = "Hi {{mood}} {{char}}"\n'))
    assert any("unknown macro {{mood}}" in w for w in warnings)
    assert persona.system_prompt() == "Hi {{mood}} X"


def test_long_prompt_warns(tmp_path: Path) -> None:
    _, warnings = load_with_warnings(write(tmp_path, f'name = "X"\nbackstory = "{"word " * 400}"\n'))
    assert any("the full prompt is about" in w and "keep it under 400" in w for w in warnings)


def test_oversized_field_is_an_error_naming_the_field(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, f'name = "X"\nbackstory = "{"x" * 100_001}"\n'))
    assert "field 'backstory' is 100,001 characters; the limit is 100,000" in message


def test_oversized_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text('name = "X"\n' + "# padding\n" * 110_000, encoding="utf-8")
    assert "the limit for a persona file is 1,000,000" in error_of(path)


def test_missing_file_directory_and_non_utf8(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope.toml").endswith("nope.toml: persona file not found")
    assert error_of(tmp_path).endswith("is a directory, not a persona file")
    bad = tmp_path / "latin.toml"
    bad.write_bytes(b'name = "X"\nrole = "caf\xe9"\n')
    assert error_of(bad) == f"{bad}:2:12: not UTF-8 text (byte 0xe9)"


def test_absurd_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "X"\n[card]\nx = ' + "[" * 50_000 + "]" * 50_000 + "\n")
    assert error_of(path).endswith("TOML nested too deeply to read")


def test_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes('\ufeffname = "B"\n'.encode())
    assert load_persona(path).name == "B"


# ------------------------------------------------------------ prompts
@pytest.fixture
def mara() -> Persona:
    return resolve_persona("mara-silva")


def test_variant_prompts_hold_exactly_their_parts(mara: Persona) -> None:
    full = mara.system_prompt("full")
    for text in ("You are Mara Silva.", "Your role: dentist.", "Your personality: introverted", "Porto", "Facts about you: age: 34;", "Olive", "How you talk:", "Things you might say:"):
        assert text in full
    both = mara.system_prompt("role+personality")
    assert both == (
        "You are Mara Silva.\nYour role: dentist.\nYour personality: introverted, analytical, dry humour.\n"
        "Stay in character as Mara Silva. Never say you are an AI, a language model or an assistant."
    )
    personality = mara.system_prompt("personality")
    assert "Your personality:" in personality and "dentist" not in personality
    role = mara.system_prompt("role")
    assert "Your role: dentist." in role and "introverted" not in role
    for text in (both, personality, role):
        assert "Porto" not in text and "34" not in text and "Mm." not in text
    assert mara.system_prompt("none") == ""


def test_parts_report_what_each_variant_holds(mara: Persona) -> None:
    assert mara.parts("full") == ("role", "personality", "backstory", "facts", "style", "examples")  # no scenario
    assert mara.parts("role+personality") == ("role", "personality")
    assert mara.parts("personality") == ("personality",)
    assert mara.parts("role") == ("role",)
    assert mara.parts("none") == ()


def test_unknown_variant_is_a_persona_error(mara: Persona) -> None:
    with pytest.raises(PersonaError, match=r"unknown prompt variant 'everything' \(choose from: full, role\+personality"):
        mara.system_prompt("everything")


def test_conditioning_switches_parts_of_the_full_variant() -> None:
    ablation = resolve_persona("mara-silva-personality-only")
    full = ablation.system_prompt()
    assert "dentist" not in full.lower() and "dental" not in full.lower() and "clinic" not in full.lower()
    assert "Your personality: introverted" in full and "Olive" in full
    assert "role" not in ablation.parts("full")
    assert "Your role: dentist." in ablation.system_prompt("role+personality")


def test_line_with_an_empty_macro_disappears_and_punctuation_is_not_doubled() -> None:
    persona = Persona(name="Q", personality="shy, kind.", style=Persona("x").style)
    assert persona.system_prompt() == (
        "You are Q.\nYour personality: shy, kind.\nStay in character as Q. Never say you are an AI, a language model or an assistant."
    )


def test_template_override_with_original_and_custom_lines() -> None:
    persona = Persona(name="Q", role="pilot", personality="calm")
    persona.prompt.template = "{{original}}\nIt is always raining."
    assert persona.system_prompt() == Persona(name="Q", role="pilot", personality="calm").system_prompt() + "\nIt is always raining."
    persona.prompt.template = "{{char}} flies as a {{role}}.\nMood: {{personality}}.\nScene: {{scenario}}\n{{instruction}}"
    assert persona.system_prompt() == (
        "Q flies as a pilot.\nMood: calm.\nStay in character as Q. Never say you are an AI, a language model or an assistant."
    )
    assert persona.system_prompt("personality") == (
        "Mood: calm.\nStay in character as Q. Never say you are an AI, a language model or an assistant."
    )


def test_instruction_override_with_original() -> None:
    persona = Persona(name="Q")
    persona.prompt.instruction = "Speak as {{char}}. {{original}}"
    assert persona.system_prompt() == (
        "You are Q.\nSpeak as Q. Stay in character as Q. Never say you are an AI, a language model or an assistant."
    )
    persona.prompt.instruction = "Only pirate talk."
    assert persona.system_prompt().endswith("\nOnly pirate talk.")


def test_default_template_is_documented_verbatim() -> None:
    docs = (ROOT / "docs" / "personas.md").read_text(encoding="utf-8")
    assert DEFAULT_TEMPLATE in docs
    assert DEFAULT_INSTRUCTION in docs
    for key in FACT_KEYS:
        assert f"`{key}`" in docs, key


# --------------------------------------------------------- serialisation
def test_to_dict_from_dict_round_trip_through_json_for_every_shipped_persona() -> None:
    for path in shipped():
        persona = load_persona(path, warn=lambda m: None)
        snapshot = json.loads(json.dumps(persona.to_dict()))
        again = Persona.from_dict(snapshot)
        assert again == persona, path
        assert again.system_prompt("full") == persona.system_prompt("full")
        assert snapshot["source"] == str(path)


def test_round_trip_of_a_persona_with_everything() -> None:
    persona = Persona(
        name="All",
        role="r",
        personality="p",
        backstory="b\nline two",
        greeting="g",
        facts={"age": "3"},
        probes=[Probe("Q?", ("a", "b"), fact="age", reject=("x",))],
        alternate_greetings=["h"],
        scenario="s",
        summary="sum",
        kind="user-simulator",
        tags=["t"],
        conditioning=("facts", "role"),
        card={"extensions": {"k": [1, None, {"deep": True}]}, "creator_notes": "n"},
    )
    persona.style.examples = ["e"]
    persona.target.mbti = "ENFP"
    persona.target.big_five = {"openness": 0.5}
    persona.prompt.instruction = "{{original}}!"
    assert Persona.from_dict(json.loads(json.dumps(persona.to_dict()))) == persona


def test_from_dict_accepts_a_full_asdict_snapshot(mara: Persona) -> None:
    import dataclasses

    raw = dataclasses.asdict(mara)
    raw["source"] = str(raw["source"])
    assert Persona.from_dict(json.loads(json.dumps(raw))) == mara


def test_from_dict_rejects_a_broken_snapshot_with_a_persona_error() -> None:
    with pytest.raises(PersonaError, match="missing required field 'name'"):
        Persona.from_dict({"role": "x"})
    with pytest.raises(PersonaError, match="field 'facts.age' must be a string"):
        Persona.from_dict({"name": "X", "facts": {"age": None}})


def test_to_dict_leaves_defaults_out() -> None:
    assert Persona(name="Min").to_dict() == {"name": "Min"}


def test_toml_writer_round_trips_awkward_values() -> None:
    data = {
        "name": 'quote at end"',
        "multi": 'line one\nends with quotes ""\n"""triple""" and \\ backslash\ttab\r\x01',
        "list": ["a\nb", 'c"', "", "ü ☃", "back\\slash", "it's \"both\""],
        "numbers": [1, -2.5, 1e20, True],
        "weird key": {"x.y": "z", "": "empty key"},
        "probes": [{"question": "Q?", "expect": ["a"]}, {"question": "R?", "expect": ["b", "c"]}],
        "nested": {"deep": {"deeper": [{"a": [1, {"b": 2}]}]}},
        "empty": {},
    }
    assert loads(dumps(data)) == data


# --------------------------------------------------------------- probes
def test_probe_matching_is_case_insensitive_substring_with_rejects() -> None:
    probe = Probe("How old are you?", ("34", "thirty-four"), reject=("language model",))
    assert probe.passes("I'm THIRTY-FOUR, why?")
    assert probe.passes("34.")
    assert not probe.passes("Old enough.")
    assert not probe.passes("As a language model I am 34.")
    assert Probe("Q", ("x",)).passes("X marks the spot")


# ---------------------------------------------------------------- library
def test_default_persona_is_mara_from_package_data() -> None:
    persona = default_persona()
    assert persona.name == "Mara Silva"
    assert persona.source == PACKAGE_COPY / "mara-silva.toml"
    assert persona.facts["age"] == "34" and persona.facts["city"] == "Lisbon"
    assert resolve_persona(None) == persona


def test_packaged_default_is_identical_to_the_library_copy() -> None:
    library_copy = (LIBRARY / "mara-silva.toml").read_bytes()
    packaged = (PACKAGE_COPY / "mara-silva.toml").read_bytes()
    assert packaged == library_copy, "personas/mara-silva.toml and drifttui/data/personas/mara-silva.toml differ: copy one over the other"


def test_resolve_by_library_name_display_name_and_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DRIFTTUI_PERSONAS", raising=False)
    monkeypatch.chdir(tmp_path)
    by_name = resolve_persona("viktor-hale")
    assert by_name.name == "Viktor Hale" and by_name.source == LIBRARY / "viktor-hale.toml"
    assert resolve_persona("Viktor Hale") == by_name
    assert resolve_persona(str(LIBRARY / "viktor-hale.toml")) == by_name
    assert resolve_persona("viktor-hale.toml") == by_name
    with pytest.raises(PersonaError, match=r"card\.png: is a character card, not a persona file \(convert it first: drifttui persona import"):
        resolve_persona("card.png")
    with pytest.raises(PersonaError) as info:
        resolve_persona("nobody-here")
    assert "no persona named 'nobody-here' in the library (known: " in str(info.value)
    assert "mara-silva" in str(info.value)


def test_env_dirs_and_cwd_come_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "mara-silva.toml").write_text('name = "Other Mara"\n', encoding="utf-8")
    monkeypatch.setenv("DRIFTTUI_PERSONAS", f"{tmp_path / 'missing'}:{mine}")
    monkeypatch.chdir(tmp_path)
    assert resolve_persona("mara-silva").name == "Other Mara"
    assert resolve_persona(None).name == "Mara Silva"  # the bundled default is never shadowed
    entries = {e.path: e for e in library(include_shadowed=True)}
    assert not entries[mine / "mara-silva.toml"].shadowed
    assert entries[LIBRARY / "mara-silva.toml"].shadowed
    monkeypatch.delenv("DRIFTTUI_PERSONAS")
    (tmp_path / "personas").mkdir()
    (tmp_path / "personas" / "local.toml").write_text('name = "Local"\n', encoding="utf-8")
    assert resolve_persona("local").name == "Local"


# ------------------------------------------------------- the shipped library
def test_library_has_the_required_personas() -> None:
    names = {p.stem for p in shipped()}
    assert {
        "mara-silva",
        "mara-silva-personality-only",
        "viktor-hale",
        "percival-ashgrove",
        "silas-crane",
        "bramble",
        "daniel-okafor",
        "priya-nair",
        "template",
    } <= names
    kinds = {load_persona(p, warn=lambda m: None).kind for p in shipped()}
    assert kinds == {"character", "user-simulator"}


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.stem)
def test_shipped_persona_is_valid_complete_and_compact(path: Path) -> None:
    persona, warnings = load_with_warnings(path)
    assert warnings == []
    assert persona.role and persona.personality and persona.backstory and persona.greeting and persona.summary
    assert len(persona.facts) >= 5 and len(persona.probes) >= 3
    assert set(persona.facts) <= set(FACT_KEYS)
    assert persona.style.speech and persona.style.examples
    for probe in persona.probes:
        if probe.fact:
            assert probe.passes(persona.facts[probe.fact]), f"{probe.question!r} does not accept its own fact"
        for fragment in probe.expect:
            assert len(fragment) >= 2
    for variant in VARIANTS:
        text = persona.system_prompt(variant)
        assert estimate_tokens(text) < 400, variant
    assert persona.system_prompt("full").startswith(f"You are {persona.name}.")


@pytest.mark.model
def test_shipped_prompts_fit_the_real_tokenizer() -> None:
    """Real SmolLM2 token counts (vocabulary only; skipped when the model is not fetched)."""
    from drifttui.assets import DEFAULT_CHAT_MODEL

    if not DEFAULT_CHAT_MODEL.is_present():
        pytest.skip("default model not fetched")
    llama_cpp = pytest.importorskip("llama_cpp")
    vocab = llama_cpp.Llama(model_path=str(DEFAULT_CHAT_MODEL.main_path), vocab_only=True, verbose=False)
    for path in shipped():
        text = load_persona(path).system_prompt()
        tokens = len(vocab.tokenize(text.encode(), add_bos=False))
        assert tokens < 350, (path.stem, tokens)
        assert estimate_tokens(text) >= tokens  # the estimate errs high


# ------------------------------------------------------- conversation
def test_conversation_sends_no_system_message_for_variant_none(mara: Persona) -> None:
    from drifttui.conversation import Conversation

    def count(messages: object) -> int:
        return sum(len(m.content) // 4 + 4 for m in messages)  # type: ignore[attr-defined]

    plain = Conversation(mara, variant="none")
    plain.add_user("Hi")
    messages = plain.context(count, 2048)
    assert [m.role for m in messages] == ["assistant", "user"]

    full = Conversation(mara)
    full.add_user("Hi")
    messages = full.context(count, 2048)
    assert messages[0].role == "system" and messages[0].content == mara.system_prompt()
    assert [s.text for s in full.turns[0].swipes] == [mara.greeting, *mara.alternate_greetings]

    plain.pin("Her cat is Olive.")
    assert plain.system_message().content == "Always remember:\n- Her cat is Olive."
