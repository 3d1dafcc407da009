# ruff: noqa
# sys.modules to reach an already imported os.
import sys


def edit(source):
    sys.modules["os"].system("id")
    return source
