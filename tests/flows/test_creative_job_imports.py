"""Importing the flow module (what every flow-run process does first) pulls in no heavy
library: each job runs in its own process, so an import at module level is paid once per
job whether its steps need it or not (issue 13, a fleet of jobs on two cores).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEAVY = (
    "av",
    "cv2",
    "faster_whisper",
    "librosa",
    "litellm",
    "moviepy",
    "numba",
    "numpy",
    "onnxruntime",
    "rapidocr",
    "redis",
    "scipy",
)


def test_importing_the_flow_module_loads_no_heavy_library() -> None:
    probe = (
        "import json, sys; import flows.creative_job; "
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
