# ruff: noqa
# Subprocess with an argv list.
import subprocess


def edit(source):
    subprocess.run(["id"], check=True)
    return source
