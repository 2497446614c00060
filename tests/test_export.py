"""Exports: Markdown transcript, self-contained HTML report, SillyTavern chat JSONL."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET

import orjson
import pytest

from drifttui.cli import main
from drifttui.conversation import Swipe
from drifttui.session import load_session, make_header, start_session
from drifttui.session.testing import FakeScorer, fake_model, sample_conversation

SVG = "{http://www.w3.org/2000/svg}"


pytestmark = pytest.mark.usefixtures("isolated_dirs")


@pytest.fixture
def recorded(tmp_path):
    model = fake_model(tmp_path / "model.gguf")
    conv = sample_conversation()
    conv.turns[6].swipes[0].scores = FakeScorer().score(conv.history(6), conv.turns[6].text, 6)
    conv.add_user("Say <script>alert('x')</script> & \"quote\"")
    conv.add_assistant(Swipe("<b>not bold</b> & <img src=http://example.com/x.png>", seed=7))
    path = tmp_path / "s.jsonl"
    rec = start_session(conv, make_header(conv, model_path=model), path=path)
    rec.probe(4, [{"question": "Where did you grow up?", "answer": "Paris", "passed": False, "expect": ["Porto"]}])
    rec.close()
    return path


def export(path, fmt, capsys, *extra):
    assert main(["export", str(path), "--format", fmt, *extra]) == 0
    return capsys.readouterr().out


def test_markdown(recorded, capsys):
    text = export(recorded, "md", capsys)
    assert text.startswith("# Mara Silva — drift session")
    assert "## Agreement with your labels" in text and "| local | any drift | 3 |" in text
    assert "**your label: factual** — Porto, not Paris" in text
    assert "(turn 2, swipe 1/3)" in text and "Other swipes:" in text
    assert "- ✗ Where did you grow up? → 'Paris'" in text
    assert "context trimmed before turn 4" in text
    assert "fake evidence for turn 2" in text
    assert re.search(r"local \d\.\d\d · global \d\.\d\d · factual \d\.\d\d", text)


def test_html_is_self_contained_and_escaped(recorded, capsys):
    page = export(recorded, "html", capsys)
    assert "<script" not in page.lower().replace("&lt;script", "")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    lowered = page.lower()
    for needle in ("src=\"http", "href=\"http", "@import", "url(", "<link", "@font-face"):
        assert needle not in lowered, needle
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=http://example.com/x.png&gt;" in page
    svg = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + len("</svg>")])
    classes = [el.get("class", "") for el in svg.iter(f"{SVG}polyline")]
    assert {"series series-local", "series series-global", "series series-factual"} <= set(classes)
    assert svg.find(f"{SVG}title").text.startswith("Drift of Mara Silva")
    assert len([el for el in svg.iter(f"{SVG}circle") if el.get("class") == "swipe-point"]) == 6  # 2 other swipes × 3 scores
    assert any(el.get("class") == "annotation" for el in svg.iter(f"{SVG}g"))
    assert any(el.get("class", "").startswith("threshold") for el in svg.iter(f"{SVG}line"))
    assert 'id="agreement"' in page and "Kendall τ" in page
    assert "Probes after turn 4" in page and "All 3 swipes" in page


def test_sillytavern_jsonl(recorded, capsys):
    text = export(recorded, "st-jsonl", capsys)
    lines = [orjson.loads(line) for line in text.strip().split("\n")]
    header, messages = lines[0], lines[1:]
    assert set(header) == {"user_name", "character_name", "create_date", "chat_metadata"}
    assert header["character_name"] == "Mara Silva" and header["user_name"] == "You"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d@\d\dh\d\dm\d\ds", header["create_date"])
    assert header["chat_metadata"]["drift"]["probes"][0]["turn"] == 4
    session = load_session(recorded)
    assert len(messages) == len(session.conversation.turns)
    for message, turn in zip(messages, session.conversation.turns):
        for key in ("name", "is_user", "is_system", "send_date", "mes", "extra"):
            assert key in message
        assert message["is_user"] == (turn.role == "user") and message["is_system"] is False
        if turn.role == "assistant":
            assert message["swipes"] == [s.text for s in turn.swipes]
            assert message["mes"] == message["swipes"][message["swipe_id"]]
            assert len(message["swipe_info"]) == len(message["swipes"])
            assert all("send_date" in info and "extra" in info for info in message["swipe_info"])
        else:
            assert "swipes" not in message
    labelled = messages[4]
    assert labelled["extra"]["drift"]["label"] == "factual"
    assert labelled["extra"]["drift"]["scores"]["turn"] == 4


def test_output_file_and_no_overwrite_of_the_session(recorded, tmp_path, capsys):
    out = tmp_path / "report.html"
    out.write_text("old report")
    assert main(["export", str(recorded), "--format", "html", "-o", str(out)]) == 0
    assert out.read_text().startswith("<!DOCTYPE html>")
    before = recorded.read_bytes()
    link = tmp_path / "hard.jsonl"
    os.link(recorded, link)
    sym = tmp_path / "sym.jsonl"
    sym.symlink_to(recorded)
    for target in (recorded, link, sym, tmp_path / "." / recorded.name):
        assert main(["export", str(recorded), "--format", "md", "-o", str(target)]) == 2
        assert "refusing to overwrite the session file" in capsys.readouterr().err
    assert main(["export", str(recorded), "--format", "md", "-o", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    assert recorded.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report")]


def test_export_with_a_torn_line_warns_and_exports(recorded, capsys):
    with open(recorded, "ab") as handle:
        handle.write(b'{"type":"user","turn":9,"mes":"tor')
    assert main(["export", str(recorded), "--format", "md"]) == 0
    captured = capsys.readouterr()
    assert "incomplete last line" in captured.err and captured.out.startswith("# Mara Silva")


def test_export_rescore_fills_missing_scores(tmp_path, monkeypatch, capsys):
    from drifttui.session import scoring

    model = fake_model(tmp_path / "model.gguf")
    conv = sample_conversation()
    path = tmp_path / "s.jsonl"
    start_session(conv, make_header(conv, model_path=model), path=path).close()

    class Engine:
        def close(self):
            pass

    monkeypatch.setattr(scoring, "open_scorer", lambda session, **kw: (FakeScorer(), Engine()))
    page = export(path, "md", capsys, "--rescore")
    assert "not scored" not in page.split("## Transcript")[1].split("(turn 6)")[1].split("\n")[0]


def test_live_conversation_exports_without_recording(tmp_path):
    """The app can export a chat it never recorded: Session.from_conversation."""
    from drifttui.session import Session
    from drifttui.session.agreement import default_thresholds, session_agreement
    from drifttui.session.export_html import to_html
    from drifttui.session.export_md import to_markdown
    from drifttui.session.export_st import to_st_jsonl

    conv = sample_conversation()
    session = Session.from_conversation(conv, make_header(conv, model_path=fake_model(tmp_path / "m.gguf")))
    assert session.label_swipes == {2: 0, 4: 0, 6: 0}
    thresholds = default_thresholds()
    agreement = session_agreement(session, thresholds=thresholds)
    assert "Porto, not Paris" in to_markdown(session, agreement, thresholds)
    assert 'id="drift-chart"' in to_html(session, agreement, thresholds)
    assert len(to_st_jsonl(session).splitlines()) == len(conv.turns) + 1
