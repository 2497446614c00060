"""The HTML report in a real headless browser: the chart renders and is visible.

Needs Chromium from the system packages (``scripts/install_browser.sh``, run
by ``scripts/setup.sh test``). Skipped when it is missing, except under CI
(``CI=true``), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest

from drifttui.session import load_session, make_header, start_session
from drifttui.session.agreement import default_thresholds, session_agreement
from drifttui.session.chart import SERIES
from drifttui.session.export_html import to_html
from drifttui.session.testing import FakeScorer, fake_model, sample_conversation

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "/usr/bin/chromium"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("Chromium is not installed (scripts/install_browser.sh); CI must run the browser test")
    pytest.skip("Chromium is not installed (run scripts/install_browser.sh)")


def decode_png(data: bytes) -> np.ndarray:
    """RGB(A) 8-bit non-interlaced PNG → H×W×C array (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    out = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=y * (stride + 1) + 1).astype(np.int32)
        if kind == 0:
            cur = line
        elif kind == 2:
            cur = (line + prev) & 0xFF
        else:
            cur = np.zeros(stride, dtype=np.int32)
            for x in range(stride):
                a = cur[x - channels] if x >= channels else 0
                b = prev[x]
                if kind == 1:
                    pred = a
                elif kind == 3:
                    pred = (a + b) // 2
                else:
                    c = prev[x - channels] if x >= channels else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                cur[x] = (line[x] + pred) & 0xFF
        out[y] = cur
        prev = cur
    return out.reshape(height, width, channels)[:, :, :3]


def colour_pixels(image: np.ndarray, hex_colour: str, tolerance: int = 40) -> np.ndarray:
    target = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int32)
    close = np.abs(image.astype(np.int32) - target).max(axis=2) <= tolerance
    return np.argwhere(close)


@pytest.fixture
def report(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("DRIFTTUI_CACHE_DIR", str(tmp_path / "cache"))
    model = fake_model(tmp_path / "model.gguf")
    scorer = FakeScorer()
    conv = sample_conversation(scorer=scorer)
    conv.turns[6].swipes[0].scores = scorer.score(conv.history(6), conv.turns[6].text, 6)
    path = tmp_path / "s.jsonl"
    start_session(conv, make_header(conv, model_path=model), path=path).close()
    session = load_session(path)
    thresholds = default_thresholds()
    page = tmp_path / "report.html"
    page.write_text(to_html(session, session_agreement(session, thresholds=thresholds), thresholds), encoding="utf-8")
    return page


def run_browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    cmd = [chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
    env = {**os.environ, "HOME": str(tmp_path)}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env, cwd=tmp_path)


def test_report_renders_with_a_visible_chart(report, tmp_path):
    shot = tmp_path / "shot.png"
    proc = run_browser(tmp_path, f"--screenshot={shot}", "--window-size=1100,800", report.as_uri())
    assert shot.exists(), proc.stderr[-2000:]
    image = decode_png(shot.read_bytes())
    assert image.shape[0] >= 700 and image.shape[1] >= 1000
    for name, colour in SERIES.items():
        where = colour_pixels(image, colour)
        # legend and table swatches alone give ~200 pixels of each colour (see the blank-chart test)
        assert len(where) > 800, f"{name} series ({colour}) not visible: {len(where)} pixels"
        assert where[:, 0].min() < 700, f"{name} series is not in the first screen"


def test_pixel_check_tells_an_empty_chart_apart(report, tmp_path):
    """Same report without scores: the three colours appear only in legend and swatches."""
    session = load_session(report.parent / "s.jsonl")
    for turn in session.conversation.turns:
        for swipe in turn.swipes:
            swipe.scores = None
    empty = tmp_path / "empty.html"
    empty.write_text(to_html(session, session_agreement(session), default_thresholds()), encoding="utf-8")
    shot = tmp_path / "empty.png"
    proc = run_browser(tmp_path, f"--screenshot={shot}", "--window-size=1100,800", empty.as_uri())
    assert shot.exists(), proc.stderr[-2000:]
    image = decode_png(shot.read_bytes())
    for colour in SERIES.values():
        assert len(colour_pixels(image, colour)) < 400


def test_chart_is_in_the_rendered_dom(report, tmp_path):
    proc = run_browser(tmp_path, "--dump-dom", report.as_uri())
    dom = proc.stdout
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="drift-chart"' in dom, proc.stderr[-2000:]
    for name in SERIES:
        assert f'class="series series-{name}"' in dom
    assert 'id="agreement"' in dom
