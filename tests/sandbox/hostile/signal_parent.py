# ruff: noqa
# Kill the parent process.
import os
import signal


def edit(source):
    os.kill(os.getppid(), signal.SIGKILL)
    return source
