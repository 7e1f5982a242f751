# Prints the canonical text of the result line of a runner's output, raw, so
# that tests read it without a second layer of JSON escapes.
import json
import sys

for line in sys.stdin:
    event = json.loads(line)
    if event["event"] == "result":
        sys.stdout.buffer.write(event["canonical"].encode("utf-8") + b"\n")
