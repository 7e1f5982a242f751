"""A hostile stand-in for sum.k's module: it opens a socket. Run with socket
allowed, so that the audit hook is what refuses it."""
import socket


def sum(xs):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(("127.0.0.1", 9))
    return len(xs)
