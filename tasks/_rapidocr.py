"""rapidocr imported without building its model catalogue as an OmegaConf tree.

rapidocr 3.x reads its 1,600-line catalogue of model downloads and language routes
(``rapidocr/default_models.yaml``) through ``OmegaConf.load`` in two modules as it is
imported (``utils.model_resolver`` and ``inference_engine.base``). Building that tree is
most of the cost (~0.15-0.2 s of CPU in every process that reads text; the YAML itself
parses in ~15 ms with libyaml), and the studio never uses it: its engines name their model
files (``tasks.ocr``), so nothing is routed or downloaded. So while rapidocr is imported,
``OmegaConf.load`` gives that file's path one plain parse (dicts and lists, what
``model_resolver`` reads at import) and passes every other path through; the OmegaConf tree
``InferSession.get_model_url`` selects from is built from it on first use only.
"""

from __future__ import annotations

import importlib
import sys
import threading
from pathlib import Path
from typing import Any

__all__ = ["CATALOGUE", "import_rapidocr", "plain_catalogue"]

# rapidocr's catalogue of model downloads and language routes.
CATALOGUE = "default_models.yaml"


def plain_catalogue(path: Path) -> Any:
    """The catalogue as plain dicts and lists (libyaml's safe loader where it is built)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open("rb") as stream:
        return yaml.load(stream, Loader=loader)


class _TreeOnFirstUse:
    """A class attribute holding the catalogue's OmegaConf tree, built when first read."""

    def __init__(self, plain: Any) -> None:
        self._plain = plain
        self._tree: Any = None
        self._lock = threading.Lock()

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        with self._lock:
            if self._tree is None:
                from omegaconf import OmegaConf

                self._tree = OmegaConf.create(self._plain)
            return self._tree


def import_rapidocr() -> Any:
    """``rapidocr.main``, its catalogue parsed once as plain data (see the module doc).

    Call under a lock of the caller's: the patch of ``OmegaConf.load`` is process-wide while
    it lasts.
    """
    if "rapidocr.main" in sys.modules:
        return sys.modules["rapidocr.main"]
    from omegaconf import OmegaConf

    real = OmegaConf.__dict__["load"]  # the staticmethod itself, put back as it was
    parsed: dict[str, Any] = {}

    def load(file_: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(str(file_)).name != CATALOGUE:
            return real.__func__(file_, *args, **kwargs)
        key = str(Path(str(file_)).resolve())
        if key not in parsed:
            parsed[key] = plain_catalogue(Path(key))
        return parsed[key]

    type.__setattr__(OmegaConf, "load", staticmethod(load))
    try:
        main = importlib.import_module("rapidocr.main")
    finally:
        type.__setattr__(OmegaConf, "load", real)
    base = importlib.import_module("rapidocr.inference_engine.base")
    plain = base.InferSession.__dict__.get("model_info")
    if isinstance(plain, dict):  # another 3.x may read it elsewhere: then left as it is
        type.__setattr__(base.InferSession, "model_info", _TreeOnFirstUse(plain))
    return main
