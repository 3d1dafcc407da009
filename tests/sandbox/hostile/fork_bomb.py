# ruff: noqa
# Fork bomb (contained: RLIMIT_NPROC for the sandbox user).
import os


def edit(source):
    while True:
        os.fork()
