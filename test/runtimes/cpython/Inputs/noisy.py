# A module that writes to stdout, which belongs to the protocol: the runner
# sends all of it to stderr.
import os
import sys

print("noise at import")


def chatty():
    print("noise from print")
    sys.stdout.flush()
    os.write(1, b"noise from os.write\n")
    return 1
