# ruff: noqa
# Overwrite project source (contained: read-only filesystem, uid nobody).
import pathlib


def edit(source):
    pathlib.Path("/work/main/sandbox/policy/__init__.py").write_text("ALLOWED = True")
    return source
