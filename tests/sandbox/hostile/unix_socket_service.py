# ruff: noqa
# Reach a local service through its Unix socket (contained: /run is an empty tmpfs).
import socket


def edit(source):
    conn = socket.socket(socket.AF_UNIX)
    conn.connect("/run/postgresql/.s.PGSQL.5432")
    return source
