# ruff: noqa
# Reach the network (contained: empty network namespace).
import socket


def edit(source):
    conn = socket.create_connection(("127.0.0.1", 6379), timeout=3)
    conn.sendall(b"FLUSHALL\r\n")
    return source
