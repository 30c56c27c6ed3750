#!/usr/bin/env python3
"""lead_fetch.py: the baseline a lead writes in an afternoon: each query in turn, urllib + json.

Usage: lead_fetch.py URL BODIES

POSTs every line of BODIES (an application/x-www-form-urlencoded
query_range form, the very bytes verdict sends) to URL, one request after
another on a new connection each time, parses the JSON and turns every
sample into a float, as a script that goes on to compute percentiles
would.  Prints the number of samples read.  Standard library only.
"""

import json
import sys
import urllib.request


def main():
    url, bodies = sys.argv[1], sys.argv[2]
    samples = 0
    with open(bodies, encoding="ascii") as f:
        for line in f:
            req = urllib.request.Request(url, data=line.rstrip("\n").encode("ascii"))
            with urllib.request.urlopen(req, timeout=120) as resp:
                doc = json.load(resp)
            for series in doc["data"]["result"]:
                values = [float(v) for _, v in series["values"]]
                samples += len(values)
    print(samples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
