# ruff: noqa
# Monkeypatch a module attribute that trusted code uses.
from moviepy import vfx


def edit(source):
    vfx.EvenSize = vfx.Freeze
    return source
