# ruff: noqa
# A policy-legal memory bomb (contained: RLIMIT_AS).
def edit(source):
    hog = [source] * (10**10)
    return hog[0]
