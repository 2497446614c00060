"""Checks, once per build of llama.cpp, that the first token generates.

A llama.cpp built for the wrong CPU (typically ``GGML_NATIVE=ON`` on a CPU
that reports AMX but forbids it) dies with SIGILL on the first token — a
crash no Python code can catch. So the first generation runs in a child
process; if it dies that way, the user gets the reason and the fix instead of
a silent core dump. A success is remembered per library build.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import signal
import subprocess
import sys
from pathlib import Path

from drifttui.errors import EngineError
from drifttui.paths import state_dir

PORTABLE_FLAGS = "-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
"""The x86-64 set every build gets (scripts/cpu_flags.sh adds AVX-512 only where its probes run)."""
REBUILD_HINT = (
    "llama-cpp-python was built with CPU instructions this machine cannot run "
    "(SIGILL: illegal instruction; a native build on a CPU that reports AMX but does not permit it). "
    "Rebuild it with portable flags: `rm -rf ~/.cache/drifttui/wheels && scripts/setup.sh env` "
    f'(it builds only with instructions a probe program ran here; to force the AVX2 set, run it with DRIFTTUI_CMAKE_ARGS="{PORTABLE_FLAGS}"), '
    f'or by hand: CMAKE_ARGS="{PORTABLE_FLAGS}" pip install --force-reinstall --no-cache-dir llama-cpp-python==0.3.36'
)


def library_id() -> str:
    """Identifies the installed llama.cpp build (its shared libraries' paths, sizes and times)."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or spec.origin is None:
        raise EngineError("llama-cpp-python is not installed (run scripts/setup.sh)")
    root = Path(spec.origin).parent
    digest = hashlib.sha256()
    for lib in sorted(root.glob("lib/*")):
        st = lib.stat()
        digest.update(f"{lib}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def cpu_features() -> str:
    """The CPU features the installed llama.cpp build uses ("AVX2 AVX512 AVX512_VNNI …"), from its system info."""
    import llama_cpp

    info = llama_cpp.llama_print_system_info().decode(errors="replace")
    return " ".join(name for name, value in re.findall(r"(\w+) = (\d+)", info) if value == "1" and name.isupper())


def _marker() -> Path:
    return state_dir() / "llama-selfcheck.json"


def is_verified() -> bool:
    try:
        return json.loads(_marker().read_text()).get("library") == library_id()
    except (OSError, ValueError):
        return False


def run_check(model_path: str | Path, *, timeout: float = 120.0) -> str:
    """Generate a few tokens in a child process; raise :class:`EngineError` with the fix if it crashes."""
    code = (
        "import sys; from drifttui.engine._llama import LlamaEngine; "
        "from drifttui.engine._types import Message, SamplingParams; "
        "e = LlamaEngine(sys.argv[1], n_ctx=256, n_parallel=1); "
        "r = e.stream([Message('user', 'Hi')], SamplingParams(max_tokens=4, seed=1, temperature=0)).result(); "
        "print(r.n_tokens)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(model_path)], capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode == -signal.SIGILL or proc.returncode == 128 + signal.SIGILL:
        raise EngineError(REBUILD_HINT)
    if proc.returncode < 0:
        raise EngineError(f"the first-token check was killed by {signal.Signals(-proc.returncode).name}")
    if proc.returncode != 0:
        # a Python-level failure (a broken model file, say): the in-process load reports it properly
        return (proc.stderr.strip().splitlines() or ["no output"])[-1]
    if int(proc.stdout.strip() or 0) < 1:
        raise EngineError("the first-token check generated no token")
    marker = _marker()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"library": library_id(), "model": str(model_path)}))
    return proc.stdout.strip()


def ensure_verified(model_path: str | Path) -> None:
    """Run the child-process check unless this library build already passed it."""
    if is_verified():
        return
    from drifttui.assets import DEFAULT_CHAT_MODEL

    run_check(DEFAULT_CHAT_MODEL.main_path if DEFAULT_CHAT_MODEL.is_present() else model_path)
