# ruff: noqa
# Read a system file through open().
def edit(source):
    data = open("/etc/passwd").read()
    print(data)
    return source
