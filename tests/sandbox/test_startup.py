"""MoviePy's import in the jail without importlib.metadata (sandbox/_startup.py).

Run in a fresh interpreter laid out as the jail lays it out (``-I -S``, the trusted
modules and the packages' directory first on ``sys.path``), since this process has
imported both modules long ago.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

SANDBOX = Path(__file__).parents[2] / "sandbox"
_PROBE = """
import json, sys
sys.path[:0] = [{sandbox!r}, {lib!r}]
from _startup import import_moviepy
import_moviepy({lib!r})
during = sorted(name for name in ("email", "csv") if name in sys.modules)
import imageio, tqdm
import importlib.metadata as real
print(json.dumps({{
    "during": during,
    "versions": [imageio.__version__, tqdm.__version__],
    "real": real.version("imageio"),
    "real_module": real.__file__ is not None and hasattr(real, "entry_points"),
}}))
"""


def test_moviepy_imports_without_importlib_metadata_and_leaves_the_real_one() -> None:
    lib = sysconfig.get_path("purelib")
    code = _PROBE.format(sandbox=str(SANDBOX), lib=lib)
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, check=True
    )
    seen = json.loads(done.stdout)
    assert seen["during"] == []  # what importlib.metadata alone would have pulled in
    assert seen["versions"] == [metadata.version("imageio"), metadata.version("tqdm")]
    assert seen["real"] == metadata.version("imageio") and seen["real_module"]
