"""Stage payload parts on the GPU machine, call by call; verify and unpack what is complete.

Run at the start of every device call: ``python3 stage.py PARTS_DIR STATE_DIR``. Parts are
kept in ``STATE_DIR/parts`` (outside the repo copy, so they survive between back-to-back calls
while the machine stays warm). A file of the manifest whose bytes have all arrived is joined,
checked against its sha256 and, for the vLLM wheel and ``deps.tar``, installed in the
background into ``/tmp/site`` (``STATE_DIR/installed`` marks the end) so later calls overlap it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

SITE = Path("/tmp/site")


def _complete(state: Path, manifest: dict, entry: dict) -> bool:
    have = sorted(
        (p["offset"], p["offset"] + p["size"])
        for p in manifest["parts"]
        if (state / "parts" / p["name"]).exists()
    )
    start, end = entry["offset"], entry["offset"] + entry["size"]
    for lo, hi in have:
        if lo <= start < hi:
            start = hi
    return start >= end


def _join(state: Path, manifest: dict, entry: dict) -> Path:
    out = state / "files" / entry["name"]
    start, end = entry["offset"], entry["offset"] + entry["size"]
    h = hashlib.sha256()
    with out.open("wb") as f:
        for p in manifest["parts"]:
            lo, hi = p["offset"], p["offset"] + p["size"]
            if hi <= start or lo >= end:
                continue
            data = (state / "parts" / p["name"]).read_bytes()[max(start - lo, 0) : end - lo]
            f.write(data)
            h.update(data)
    if h.hexdigest() != entry["sha256"]:
        out.unlink()
        raise SystemExit(f"sha256 mismatch for {entry['name']}")
    print(f"stage: {entry['name']} complete, sha256 ok", flush=True)
    return out


def main() -> None:
    """Stage ``argv[1]``'s parts into ``argv[2]``; join, verify and install what is whole."""
    src, state = Path(sys.argv[1]), Path(sys.argv[2])
    manifest = json.loads((src / "manifest.json").read_text())
    (state / "parts").mkdir(parents=True, exist_ok=True)
    (state / "files").mkdir(exist_ok=True)
    for part in sorted(src.glob("part*")):
        shutil.copyfile(part, state / "parts" / part.name)
    names = [p.name for p in sorted((state / "parts").glob("part*"))]
    print(f"stage: parts present {names}", flush=True)
    for entry in manifest["files"]:
        target = state / "files" / entry["name"]
        if not target.exists() and _complete(state, manifest, entry):
            _join(state, manifest, entry)
    wheel = next((state / "files").glob("vllm-*.whl"), None)
    deps = state / "files" / "deps.tar"
    started = state / "install.started"
    if wheel and deps.exists() and not started.exists():
        started.touch()
        script = (
            f"mkdir -p {state}/wheels {SITE} && tar -xf {deps} -C {state}/wheels && "
            f"python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir "
            f"--target {SITE} {state}/wheels/*.whl {wheel} && touch {state}/installed"
        )
        log = (state / "install.log").open("w")
        # A new session: the install outlives this call (the machine stays warm between calls).
        subprocess.Popen(["bash", "-c", script], stdout=log, stderr=log, start_new_session=True)
        print("stage: install started in the background", flush=True)


if __name__ == "__main__":
    main()
