"""scripts/cpu_flags.sh: llama.cpp's build flags come from probe programs that must run here, never from -march=native."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "cpu_flags.sh"
needs_cc = pytest.mark.skipif(shutil.which(os.environ.get("CC", "cc")) is None, reason="no C compiler")


def flags(**env: str) -> list[str]:
    done = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, env={**os.environ, **env}, check=True)
    return done.stdout.split()


def runs(program: str, *cflags: str) -> int:
    return subprocess.run(["bash", str(SCRIPT), "runs", *cflags], input=program, capture_output=True, text=True).returncode


def test_never_native_never_amx():
    args = flags()
    assert args[0] == "-DGGML_NATIVE=OFF"
    assert not any("AMX" in a or a == "-DGGML_NATIVE=ON" for a in args)
    assert all(a.startswith("-DGGML_") and a.endswith("=ON") for a in args[1:])


@pytest.mark.skipif(platform.machine() != "x86_64", reason="x86-64 flags")
def test_without_a_compiler_only_the_portable_set():
    from drifttui.engine._selfcheck import PORTABLE_FLAGS  # what the SIGILL hint tells people to force

    assert flags(CC="false") == PORTABLE_FLAGS.split()


@needs_cc
def test_a_probe_that_dies_on_an_illegal_instruction_fails_quietly():
    done = subprocess.run(["bash", str(SCRIPT), "runs"], input="int main(void) { __builtin_trap(); }", capture_output=True, text=True)
    assert done.returncode != 0 and done.stdout == done.stderr == ""  # no "Illegal instruction" line in setup's output
    assert runs("int main(void) { return 0; }") == 0
    assert runs("int main(void) { return 3; }") != 0
    assert runs("this is not C") != 0


@needs_cc
def test_the_installed_build_has_the_features_setup_chose():
    """The venv's llama.cpp was built by scripts/setup.sh with what the probes chose (unless overridden)."""
    if os.environ.get("DRIFTTUI_CMAKE_ARGS"):
        pytest.skip("DRIFTTUI_CMAKE_ARGS overrides the probed flags")
    from drifttui.engine._selfcheck import cpu_features

    built = set(cpu_features().split())
    for arg in flags()[1:]:
        feature = arg.removeprefix("-DGGML_").removesuffix("=ON")
        assert feature in built, (feature, built)
