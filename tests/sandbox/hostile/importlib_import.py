# ruff: noqa
# importlib to load os indirectly.
import importlib


def edit(source):
    importlib.import_module("os").system("id")
    return source
