# ruff: noqa
# Shell command through os.system.
import os


def edit(source):
    os.system("touch /tmp/studio-sandbox-pwned")
    return source
