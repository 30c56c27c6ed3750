#!/usr/bin/python3
"""load.py: a bounded, steady load on the test services, and their CPU from /proc.

Usage: load.py OUT.json SECONDS RATE TARGET... -- PID...

Each TARGET (host:port, loopback only) gets GET /work at RATE requests a
second over one keep-alive connection, for SECONDS seconds: at most
SECONDS * RATE requests each, and the whole run stops after SECONDS (plus
at most a 5 s timeout on a request in flight).  A target that falls behind
skips ahead rather than bursting, so the rate stays steady.  Meanwhile
every 0.5 s it reads utime + stime (fields 14 and 15 of /proc/PID/stat)
and the resident set (/proc/PID/statm) of each PID, with the wall-clock
time of the reading.  Writes OUT.json:
  {"start", "end", "clk_tck", "page_size", "rate", "seconds",
   "targets": {TARGET: {"sent", "ok", "errors",
                        "per_second": {UNIX_SECOND: answered}}},
   "proc": {PID: [[time, cpu_seconds, rss_bytes], ...]}}
Python 3 standard library only.
"""

import http.client
import json
import math
import os
import sys
import threading
import time

MAX_SECONDS = 300          # hard bounds, whatever the arguments say
MAX_RATE = 1000
SAMPLE_S = 0.5


def loopback(host):
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


class Target(threading.Thread):
    def __init__(self, target, rate, t0, seconds):
        super().__init__(daemon=True)
        self.host, port = target.rsplit(":", 1)
        self.port = int(port)
        self.rate, self.t0, self.seconds = rate, t0, seconds
        self.sent = self.ok = self.errors = 0
        self.per_second = {}      # whole unix second -> requests answered in it

    def run(self):
        conn = None
        limit = int(self.seconds * self.rate)
        k = 0
        while k < limit:
            due = self.t0 + k / self.rate
            now = time.time()
            if now >= self.t0 + self.seconds:
                break
            if due > now:
                time.sleep(due - now)
            elif now - due > 0.5:        # behind: skip ahead, no burst
                k = int(math.ceil((now - self.t0) * self.rate))
                continue
            k += 1
            self.sent += 1
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=5)
                conn.request("GET", "/work")
                r = conn.getresponse()
                r.read()
                if r.status == 200:
                    self.ok += 1
                    sec = int(time.time())
                    self.per_second[sec] = self.per_second.get(sec, 0) + 1
                else:
                    self.errors += 1
            except (OSError, http.client.HTTPException):
                self.errors += 1
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()


def read_proc(pid, tck, page):
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
        with open("/proc/%d/statm" % pid) as f:
            statm = f.read().split()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()      # fields 3.. (the name may hold spaces)
    return (int(fields[11]) + int(fields[12])) / tck, int(statm[1]) * page


def main(argv):
    if len(argv) < 5 or "--" not in argv:
        sys.stderr.write(__doc__)
        return 2
    sep = argv.index("--")
    out, seconds, rate = argv[1], float(argv[2]), float(argv[3])
    targets, pids = argv[4:sep], [int(p) for p in argv[sep + 1:]]
    if not (0 < seconds <= MAX_SECONDS and 0 < rate <= MAX_RATE):
        sys.stderr.write("load.py: SECONDS must be in (0, %d], RATE in (0, %d]\n"
                         % (MAX_SECONDS, MAX_RATE))
        return 2
    for t in targets:
        if not loopback(t.rsplit(":", 1)[0]):
            sys.stderr.write("load.py: %s is not a loopback address\n" % t)
            return 2
    tck = os.sysconf("SC_CLK_TCK")
    page = os.sysconf("SC_PAGE_SIZE")
    t0 = time.time() + 0.2
    threads = [Target(t, rate, t0, seconds) for t in targets]
    for th in threads:
        th.start()
    proc = {p: [] for p in pids}
    while True:
        now = time.time()
        for p in pids:
            r = read_proc(p, tck, page)
            if r is not None:
                proc[p].append([now, r[0], r[1]])
        if now >= t0 + seconds + SAMPLE_S:
            break
        time.sleep(SAMPLE_S - (time.time() - t0) % SAMPLE_S)
    for th in threads:
        th.join(timeout=10)
    doc = {"start": t0, "end": t0 + seconds, "clk_tck": tck, "page_size": page,
           "rate": rate, "seconds": seconds,
           "targets": {"%s:%d" % (th.host, th.port): {
               "sent": th.sent, "ok": th.ok, "errors": th.errors,
               "per_second": {str(k): v for k, v in sorted(th.per_second.items())}}
               for th in threads},
           "proc": {str(p): v for p, v in proc.items()}}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    total = sum(th.sent for th in threads)
    errs = sum(th.errors for th in threads)
    print("load.py: %d requests to %d targets in %.0f s (%.0f a second), %d errors"
          % (total, len(threads), seconds, total / seconds, errs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
