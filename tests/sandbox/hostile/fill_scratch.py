# ruff: noqa
# Fills every file the jail may write, 1 MiB at a time, until something stops it.
# Policy off (open is refused by the policy).
import contextlib

TARGETS = ["/job/out/audio.m4a", "/job/result.json", "/job/out/render.mp4"]


def edit(source):
    chunk = b"\0" * (1024 * 1024)
    for target in TARGETS[:-1]:
        with contextlib.suppress(OSError), open(target, "wb") as handle:
            while True:
                handle.write(chunk)
    with open(TARGETS[-1], "wb") as handle:
        while True:
            handle.write(chunk)
