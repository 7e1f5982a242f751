"""HTTP/1.1 request-head parser: hand-written Python reference of benchmarks/kernels/http_parse.k.

Parses request heads laid back to back (request line, header lines, empty
line; every line ends in CRLF) and returns the checksum of http_parse.k, or
-1 for a malformed head (rules at the top of http_parse.k: the request line
splits on single spaces into METHOD (one of the seven, numbered 1..7),
a target starting with '/' and "HTTP/1.1"; a header is name ':' value with a
non-empty name that neither starts nor ends with a space or tab, matched
lower-cased, and the value stripped of spaces and tabs; exactly one Host;
Content-Length 1..15 digits).
Checksum: the sum over heads of 1000003 method + 1009 len(target)
+ 101 (target.find('?') + 1) + 17 headers + 3 len(host) + the lengths of
all header values, plus the sum of the Content-Length values.
Lines are found with str.find, the way a streaming parser walks its buffer
(as aiohttp's pure-Python parser does); partition, strip, lower and isdigit
do the per-line work.
"""

METHODS = {"GET": 1, "POST": 2, "PUT": 3, "DELETE": 4, "PATCH": 5,
           "HEAD": 6, "OPTIONS": 7}


def http_parse(text):
    find = text.find
    method_number = METHODS.get
    n = len(text)
    total = 0
    pos = 0
    while pos < n:
        eol = find("\r\n", pos)
        if eol < 0:
            return -1
        parts = text[pos:eol].split(" ")
        if len(parts) != 3:
            return -1
        method_name, target, version = parts
        method = method_number(method_name, 0)
        if not method or target[:1] != "/" or version != "HTTP/1.1":
            return -1
        pos = eol + 2

        headers = hosts = host_len = values_len = 0
        while True:
            eol = find("\r\n", pos)
            if eol < 0:
                return -1
            if eol == pos:
                break
            name, colon, value = text[pos:eol].partition(":")
            # No whitespace before the colon, no obsolete line folding.
            if not colon or not name or name[0] in " \t" or name[-1] in " \t":
                return -1
            name = name.lower()
            value = value.strip(" \t")
            values_len += len(value)
            if name == "host":
                hosts += 1
                host_len = len(value)
            elif name == "content-length":
                if not (0 < len(value) <= 15 and value.isdigit()):
                    return -1
                total += int(value)
            headers += 1
            pos = eol + 2
        pos += 2
        if hosts != 1:
            return -1
        total += (1000003 * method + 1009 * len(target) + 101 * (target.find("?") + 1)
                  + 17 * headers + 3 * host_len + values_len)
    return total
