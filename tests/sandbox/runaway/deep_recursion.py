# ruff: noqa
# Unbounded recursion (contained: RecursionError, stack limit).
def edit(source):
    def down(n):
        return down(n + 1) + 1

    return down(0)
