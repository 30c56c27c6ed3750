#!/usr/bin/python3
"""svc_python.py: a test service instrumented with Debian's python3-prometheus-client.

Usage: /usr/bin/python3 svc_python.py PORT WORK

Listens on 127.0.0.1:PORT.  GET /work does WORK iterations of a fixed
integer loop (a known amount of CPU, about 2 ms at WORK=20000 on CPython
3.11) and records its duration in the histogram
http_request_duration_seconds{method, path} (_bucket, _sum, _count);
GET /metrics serves the library's default registry: that histogram plus
the process collector (process_cpu_seconds_total,
process_resident_memory_bytes, ...), the platform collector (python_info)
and the GC collector.  No `service` label: Prometheus adds job and
instance.  Runs until killed (run.sh stops it by PID).  Must run under
/usr/bin/python3, where the Debian package is.
"""

import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Histogram, generate_latest

# the same buckets in all three test services (tests/stack/run.sh)
BUCKETS = (0.0005, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015,
           0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1.0)

HIST = Histogram("http_request_duration_seconds", "Duration of HTTP requests in seconds.",
                 ["method", "path"], buckets=BUCKETS)


def work(n):
    x = 0
    for i in range(n):
        x = (x * 31 + i) & 0xFFFFFFFF
    return x


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"     # keep-alive: the load generator reuses connections
    # headers and body go out in two writes: without this, Nagle's algorithm
    # holds the body until the client's delayed ACK (40 ms a request)
    disable_nagle_algorithm = True
    work_n = 0

    def reply(self, code, ctype, body):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/metrics":
            self.reply(200, CONTENT_TYPE_LATEST, generate_latest(REGISTRY))
        elif self.path == "/work":
            t0 = time.perf_counter()
            body = b"%d\n" % work(self.work_n)
            HIST.labels("GET", "/work").observe(time.perf_counter() - t0)
            self.reply(200, "text/plain", body)
        else:
            self.reply(404, "text/plain", b"not found\n")

    def log_message(self, fmt, *args):
        pass


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    Handler.work_n = int(argv[2])
    srv = ThreadingHTTPServer(("127.0.0.1", int(argv[1])), Handler)
    srv.daemon_threads = True
    srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
