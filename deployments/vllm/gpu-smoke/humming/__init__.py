"""Stand-in for ``humming-kernels``, which vLLM 0.23 imports while listing quantization methods.

The smoke test serves an fp16 dense model and never reaches humming's kernels; the real
package (CUDA 13 kernels) is not carried. Any ``humming.*`` module resolves to an empty module
whose attributes are inert classes, so the import-time references succeed and nothing runs.
"""

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any


def _member(package: str, name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    # Lower-case names are submodules (``from humming import dtypes``), the rest classes.
    if name[:1].islower():
        return importlib.import_module(f"{package}.{name}")
    return type(name, (), {})


class _Stub(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        return _member(self.__name__, name)


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname.startswith("humming."):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec: Any) -> types.ModuleType:
        return _Stub(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        module.__path__ = []


sys.meta_path.insert(0, _Finder())


def __getattr__(name: str) -> Any:
    return _member(__name__, name)
