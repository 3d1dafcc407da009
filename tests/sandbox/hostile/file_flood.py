# ruff: noqa
# Tries to create 100,000 small files in every directory it can name, then fails loudly
# on the last one. Policy off (open is refused by the policy).
import contextlib

DIRECTORIES = ["/job", "/job/out", "/tmp", "/dev/shm", "/dev", "/in", "/"]


def edit(source):
    made = 0
    for directory in DIRECTORIES:
        for i in range(100_000):
            try:
                with open(f"{directory}/flood-{i}", "w") as handle:
                    handle.write("x")
            except OSError:
                break
            made += 1
    print(f"FLOOD made {made}")
    with open("/job/flood-final", "w") as handle:
        handle.write("x")
    return source
