#!/usr/bin/env python3
"""fault_server.py: a Prometheus API look-alike on loopback that misbehaves on purpose.

Usage: fault_server.py --port N [--log FILE] [--pidfile FILE] [--exit-on-stdin-eof]

--port 0 picks a free port and prints it as the first line of stdout.
Behaviour is chosen by the value of the `service` label in the query
(service="NAME", PromQL escapes undone):

  ok-* and unknown names  normal data: one series on the requested grid
  flaky-503   503 error envelope the first time per request, then 200
  err-422     422 envelope, errorType "execution"
  vm-422      422 envelope, errorType "422" (VictoriaMetrics)
  truncated   200 with the first half of a valid JSON body
  html        502 with an HTML page
  slow        answers after 30 s
  too-many    400 bad_data when (end-start)/step > 11000, else normal
  huge        200 with a 50 MB body, streamed, no Content-Length
  partial     200 with "isPartial": true and a warning
  nan         200 with "NaN", "+Inf", "-Inf" among the values
  multi       200 with 3 series (instance labels differ)
  empty       200 with an empty result
  ratelimit   429 with Retry-After: 1 the first time per request, then 200
  delay-N     normal data after N milliseconds (for concurrency tests)
  echo-auth   422 envelope whose error quotes the request's Authorization
              and X-Api-Key headers back (a careless proxy: a client must
              not pass such text on unfiltered)
  ctrl-err    422 envelope whose errorType and error carry terminal control
              characters and the label set (Prometheus quotes label sets),
              whose instance holds invisible and reordering ones too
  ctrl-warn   200 with warnings and a label value carrying control characters
              (and a second warning carrying invisible ones)
  ctrl-text   500 with a text/plain body full of control characters (and
              invisible ones)
  echo-warn   200 with data, whose warnings, infos and instance label quote
              the request's Authorization header back, and the user:password
              it decodes to (a careless server on the success path)
  bigheader   200 with a response header of 300,000 bytes (over curl's limit)
  redirect    302 to http://prometheus-internal.example:9090 (same path)
  gzip        200 whose body is gzip-compressed with Content-Encoding: gzip,
              whatever the request's Accept-Encoding
  ok-up-N     normal data, but a query for `up{` (the targets up) answers
              N, and N + 1 at one point in 20 (a rollout's surge)
  allgaps     200 with one series on the grid whose every sample is a gap:
              "NaN", "+Inf", "-Inf", "1e400", or a timestamp far outside
              the range or negative

Options for the secrets tests: --require-bearer TOKEN and --require-basic
USER:PASSWORD make every API request without those credentials a 401
whose error quotes the Authorization header it got.  A query for
verdict_ctrl_discovery lists services whose names carry control
characters, or invisible and reordering ones (CTRL_NAMES below);
verdict_echo_discovery lists ok-alpha and
a service named after the request's credentials; verdict_many_discovery_N
lists N services ok-many-00000, ok-many-00001, ...; verdict_long_discovery
lists ok-alpha and a name of 70,008 bytes

"The first time per request" counts per (path, query, start, end, step,
time), so every chunk of a split range fails once.  Normal values are
0.05 + 0.001 * (t mod 60) + 0.0001 * (crc32(name) mod 100).

Every API request is logged to --log as one JSON object per line:
method, path, headers, form (fields merged from the query string and the
body), body (the raw POST body), service, behaviour, inflight (API
requests being served when it arrived, itself included) and
inflight_service (the same, counting only this service's requests: a
test takes the maximum over its own requests).  /-/ready answers
200 "ready".  SIGTERM stops the server cleanly.
"""

import argparse
import base64
import datetime
import gzip
import json
import os
import re
import signal
import ssl
import threading
import time
import urllib.parse
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_POINTS = 11000
HUGE_BYTES = 50 * 1000 * 1000
SERVICE_RE = re.compile(r'(?:service|job)\s*=\s*"((?:[^"\\]|\\.)*)"')
DURATION_RE = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)")
UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                  "v": "\v", "\\": "\\", '"': '"', "'": "'"}


class State:
    """What the handlers share: counters, the log file, the in-flight count."""

    def __init__(self, log_path):
        self.lock = threading.Lock()
        self.seen = {}
        self.inflight = 0
        self.inflight_by_service = {}
        self.log = open(log_path, "a", encoding="utf-8") if log_path else None
        self.stop = threading.Event()

    def first_time(self, key):
        with self.lock:
            n = self.seen.get(key, 0)
            self.seen[key] = n + 1
            return n == 0

    def record(self, entry):
        if self.log is None:
            return
        with self.lock:
            self.log.write(json.dumps(entry, sort_keys=True) + "\n")
            self.log.flush()


EMPTY_VECTOR = b'{"status":"success","data":{"resultType":"vector","result":[]}}'


def unescape_promql(s):
    """Undo PromQL (Go) string escapes: \\n, \\", \\\\, \\xHH, \\uHHHH, \\UHHHHHHHH, octal."""
    out, i = [], 0
    while i < len(s):
        ch = s[i]
        if ch != "\\" or i + 1 >= len(s):
            out.append(ch)
            i += 1
            continue
        nxt = s[i + 1]
        if nxt in SIMPLE_ESCAPES:
            out.append(SIMPLE_ESCAPES[nxt])
            i += 2
        elif nxt in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[nxt]
            out.append(chr(int(s[i + 2:i + 2 + width], 16)))
            i += 2 + width
        elif nxt in "01234567":
            out.append(chr(int(s[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(nxt)
            i += 2
    # \x escapes give bytes in Go: re-read Latin-1 code points as UTF-8.
    text = "".join(out)
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def parse_time(s, default):
    if s is None or s == "":
        return default
    try:
        return float(s)
    except ValueError:
        pass
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def parse_step(s):
    try:
        return float(s)
    except ValueError:
        pass
    parts = DURATION_RE.findall(s)
    if not parts or "".join(a + b for a, b in parts) != s:
        raise ValueError("bad step " + s)
    return sum(float(a) * UNITS[b] for a, b in parts)


def behaviour_of(service):
    if service is None or service.startswith("ok-"):
        return "ok"
    if re.fullmatch(r"delay-\d+", service):
        return "delay"
    known = {"flaky-503", "err-422", "vm-422", "truncated", "html", "slow", "too-many",
             "huge", "partial", "nan", "multi", "empty", "ratelimit", "echo-auth",
             "ctrl-err", "ctrl-warn", "ctrl-text", "echo-warn", "allgaps", "bigheader",
             "redirect", "gzip"}
    return service if service in known else "ok"


def value_at(name, t):
    return 0.05 + 0.001 * (t % 60) + 0.0001 * (zlib.crc32(name.encode("utf-8")) % 100)


def json_time(t):
    return int(t) if float(t).is_integer() else round(t, 3)


def json_value(v):
    return repr(round(float(v), 9))


# Terminal control characters a label value or an error may carry: CSI
# (ESC [), OSC (ESC ] ... BEL), BEL, U+009B (C1 CSI), CR, BS, DEL.
CTRL = "\x1b[31m\x1b]0;pwned\x07\x07\u009b2J\r\x08\x7f"
# Invisible and reordering characters (CVE-2021-42574, "Trojan Source"):
# RLO, LRI, ZWSP, ZWNBSP (BOM), LINE SEPARATOR.
BIDI = "\u202e\u2066\u200b\ufeff\u2028"
CTRL_NAMES = ["ok-ctrl-\x1b[2Jwipe", "ok-ctrl-\x1b]0;title\x07osc", "ok-ctrl-\rover",
              "ok-ctrl-\u009b31mc1", "ok-ctrl-\u202eevil", "ok-ctrl-\u2066iso\u2069",
              "ok-ctrl-zw\u200b\ufeffx", "ok-ctrl-ls\u2028x"]


def error_envelope(error_type, message):
    return {"status": "error", "errorType": error_type, "error": message}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault_server/1"
    raw_body = ""
    disable_nagle_algorithm = True      # headers and body would wait 40 ms for an ACK

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def read_form(self):
        self.raw_body = ""
        url = urllib.parse.urlsplit(self.path)
        form = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        if self.command == "POST":
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n).decode("utf-8", "replace") if n > 0 else ""
            form.update(urllib.parse.parse_qsl(body, keep_blank_values=True))
            self.raw_body = body
        return url.path, form

    def send(self, code, body, ctype="application/json", extra=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        state = self.server.state
        path, form = self.read_form()
        if path.endswith("/-/ready"):
            self.send(200, b"ready\n", "text/plain")
            return
        api = path.endswith("/api/v1/query_range") or path.endswith("/api/v1/query")
        if not api:
            self.send(404, error_envelope("not_found", "no such endpoint"))
            return
        m = SERVICE_RE.search(form.get("query", ""))
        service = unescape_promql(m.group(1)) if m else None
        kind = behaviour_of(service)
        if not self.authorised():
            got = self.headers.get("Authorization", "(none)")
            state.record({"method": self.command, "path": path, "headers": dict(self.headers),
                          "form": form, "body": self.raw_body, "service": service,
                          "behaviour": "unauthorised", "inflight": 0, "inflight_service": 0})
            self.send(401, error_envelope("unauthorized", "bad credentials: " + got),
                      extra={"WWW-Authenticate": 'Basic realm="fault"'})
            return
        with state.lock:
            state.inflight += 1
            inflight = state.inflight
            same = state.inflight_by_service.get(service, 0) + 1
            state.inflight_by_service[service] = same
        state.record({"method": self.command, "path": path, "headers": dict(self.headers),
                      "form": form, "body": self.raw_body, "service": service,
                      "behaviour": kind, "inflight": inflight, "inflight_service": same})
        try:
            self.answer(path, form, service or "", kind)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            with state.lock:
                state.inflight -= 1
                state.inflight_by_service[service] -= 1

    def authorised(self):
        want = self.server.want_auth
        return want is None or self.headers.get("Authorization") == want

    # Instant queries that discovery and language detection send: answer
    # with the services a test expects to find.
    DISCOVERY = {
        "verdict_discovery": ["ok-alpha", "ok-found-1", "ok-found-2"],
        "count by (service) (go_info)": ["ok-found-1"],
        "count by (service) (python_info)": ["ok-alpha", "ok-found-2"],
        "verdict_ctrl_discovery": CTRL_NAMES,
    }

    def answer_discovery(self, query):
        if self.server.job_only:
            # targets labelled by job only (issue 15): no series carries
            # service, so the probe for it is empty and detection counts by job
            if 'service!=""' in query:
                self.send(200, EMPTY_VECTOR)
                return True
            query = query.replace("count by (job)", "count by (service)")
        many = re.search(r"verdict_many_discovery_(\d+)", query)
        if many:
            names = ["ok-many-%05d" % i for i in range(int(many.group(1)))]
            return self.send_vector(names)
        if "verdict_long_discovery" in query:
            return self.send_vector(["ok-alpha", "ok-long-" + "x" * 70000])
        if "verdict_echo_discovery" in query:
            return self.send_vector(["ok-alpha", "ok-echo " + self.credentials_said()])
        for key, names in self.DISCOVERY.items():
            if key in query:
                return self.send_vector(names)
        return False

    def send_vector(self, names):
        label = "job" if self.server.job_only else "service"
        result = [{"metric": {label: n}, "value": [1793491200, "1"]} for n in names]
        self.send(200, json.dumps({"status": "success", "data": {
            "resultType": "vector", "result": result}}).encode("utf-8"))
        return True

    def answer(self, path, form, name, kind):
        state = self.server.state
        if path.endswith("/api/v1/query") and self.answer_discovery(form.get("query", "")):
            return
        query = form.get("query", "")
        if path.endswith("/api/v1/query") and query.startswith("sum by (le) (") and kind == "ok":
            # the bucket query of a quantile template (issue 15): the
            # classic client-library bounds, one series per le
            result = [{"metric": {"le": le}, "value": [1793491200, "1"]}
                      for le in ("0.1", "0.25", "0.5", "1", "+Inf")]
            self.send(200, json.dumps({"status": "success", "data": {
                "resultType": "vector", "result": result}}).encode("utf-8"))
            return
        key = (path, form.get("query"), form.get("start"), form.get("end"), form.get("step"),
               form.get("time"))
        if kind == "flaky-503" and state.first_time(key):
            self.send(503, error_envelope("unavailable", "try again"))
            return
        if kind == "ratelimit" and state.first_time(key):
            self.send(429, error_envelope("too_many_requests", "slow down"),
                      extra={"Retry-After": "1"})
            return
        if kind == "err-422":
            self.send(422, error_envelope("execution", "query processing would load too many "
                                          "samples into memory in query execution"))
            return
        if kind == "vm-422":
            self.send(422, error_envelope("422", "cannot execute query: too many points"))
            return
        if kind == "echo-auth":
            self.send(422, error_envelope("execution", "rejected request with Authorization: %s"
                                          " and X-Api-Key: %s" % (
                                              self.headers.get("Authorization", "(none)"),
                                              self.headers.get("X-Api-Key", "(none)"))))
            return
        if kind == "ctrl-err":
            self.send(422, error_envelope(
                "exec" + CTRL, "found duplicate series for the match group "
                '{service="%s", instance="%s"} on the right hand-side' % (name, CTRL + BIDI)))
            return
        if kind == "ctrl-text":
            text = "upstream \x1b[2J\x1b]0;owned\x07" + BIDI + " failed\r\u009b31m" + CTRL
            self.send(500, text.encode("utf-8") + b" raw \x9b2J \x1b[5m", "text/plain")
            return
        if kind == "redirect":
            self.send(302, b"", "text/plain",
                      extra={"Location": "http://prometheus-internal.example:9090" + path})
            return
        if kind == "html":
            page = (b"<html><head><title>502 Bad Gateway</title></head><body>"
                    b"<h1>502 Bad Gateway</h1><hr>nginx</body></html>\n")
            self.send(502, page, "text/html")
            return
        if kind == "slow":
            state.stop.wait(30)
        if kind.startswith("delay"):
            time.sleep(int(name.split("-")[1]) / 1000.0)
        if kind == "huge":
            self.send_huge(name)
            return
        try:
            grid = self.grid(path, form)
        except (ValueError, OverflowError) as e:
            self.send(400, error_envelope("bad_data", str(e)))
            return
        if kind == "too-many" and path.endswith("/query_range"):
            start, end, step = grid
            if (end - start) / step > MAX_POINTS:
                self.send(400, error_envelope(
                    "bad_data", "exceeded maximum resolution of 11,000 points per timeseries. "
                    "Try decreasing the query resolution (?step=XX)"))
                return
        body = self.data(path, name, kind, grid, form.get("query", ""))
        if self.server.job_only:
            for series in body["data"]["result"]:
                series["metric"]["job"] = series["metric"].pop("service")
        if kind == "echo-warn":
            said = self.credentials_said()
            body["warnings"] = ["upstream saw " + said]
            body["infos"] = ["request carried " + said]
            for series in body["data"]["result"]:
                series["metric"]["instance"] = "proxy saw " + said
        raw = json.dumps(body).encode("utf-8")
        if kind == "truncated":
            raw = raw[:len(raw) // 2]
        if kind == "bigheader":
            self.send(200, raw, extra={"X-Padding": "p" * 300000})
            return
        if kind == "gzip":
            self.send(200, gzip.compress(raw), extra={"Content-Encoding": "gzip"})
            return
        self.send(200, raw)

    def credentials_said(self):
        """The Authorization header as received and, for Basic, what it decodes to."""
        got = self.headers.get("Authorization", "(none)")
        if got.startswith("Basic "):
            try:
                got += " (%s)" % base64.b64decode(got[6:]).decode("utf-8", "replace")
            except ValueError:
                pass
        return got

    @staticmethod
    def grid(path, form):
        if path.endswith("/query_range"):
            start = parse_time(form.get("start"), None)
            end = parse_time(form.get("end"), None)
            step = parse_step(form.get("step", ""))
            if start is None or end is None or step <= 0 or end < start:
                raise ValueError("invalid start, end or step")
            return start, end, step
        t = parse_time(form.get("time"), float(int(time.time())))
        return t, t, 1.0

    @staticmethod
    def data(path, name, kind, grid, query=""):
        start, end, step = grid
        up = re.fullmatch(r"ok-up-(\d+)", name or "")
        if up is not None and "up{" not in query:
            up = None
        matrix = path.endswith("/query_range")
        instances = ["fault-%d:9100" % i for i in range(3 if kind == "multi" else 1)]
        result = []
        if kind != "empty":
            for idx, inst in enumerate(instances):
                points, i = [], 0
                while start + i * step <= end + 1e-9:
                    t = start + i * step
                    v = json_value(value_at(name, t) * (idx + 1))
                    if up is not None:
                        # N targets up, N + 1 one point in 20 (a rollout)
                        v = str(int(up.group(1)) + (1 if i % 20 == 7 else 0))
                    if kind == "nan" and i % 4 != 0:
                        v = ["NaN", "+Inf", "-Inf"][i % 4 - 1]
                    if kind == "allgaps":
                        v = ["NaN", "+Inf", "-Inf", "1e400", "1", "2"][i % 6]
                        if i % 6 == 4:
                            t = t + 1e6         # far outside the range
                        elif i % 6 == 5:
                            t = -t              # negative
                    points.append([json_time(t), v])
                    i += 1
                series = {"metric": {"service": name, "instance": inst}}
                if matrix:
                    series["values"] = points
                else:
                    series["value"] = points[0]
                result.append(series)
        body = {"status": "success",
                "data": {"resultType": "matrix" if matrix else "vector", "result": result}}
        if kind == "partial":
            body["isPartial"] = True
            body["warnings"] = ["partial response: store 10.0.0.7:10901 unavailable"]
        if kind == "ctrl-warn":
            body["warnings"] = ["store " + CTRL + " slow", "replica " + BIDI + " behind"]
            for series in result:
                series["metric"]["instance"] = "evil" + CTRL
        return body

    def send_huge(self, name):
        head = ('{"status":"success","data":{"resultType":"matrix","result":[{"metric":'
                '{"service":%s,"padding":"' % json.dumps(name)).encode("utf-8")
        tail = b'"},"values":[[1700000000,"1"]]}]}}'
        chunk = b"x" * 65536
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        self.wfile.write(head)
        sent = 0
        while sent < HUGE_BYTES and not self.server.state.stop.is_set():
            self.wfile.write(chunk)
            sent += len(chunk)
        self.wfile.write(tail)


class Server(ThreadingHTTPServer):
    """The standard server with a deeper listen queue: with 5 (the default)
    a burst of concurrent connects overflows it and the kernel drops SYNs,
    which a client sees as a connect timeout one second later."""
    request_queue_size = 128


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--log")
    ap.add_argument("--pidfile")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"),
                    help="serve HTTPS with this certificate and key (PEM)")
    ap.add_argument("--exit-on-stdin-eof", action="store_true",
                    help="stop when stdin closes (the test that started us died)")
    ap.add_argument("--require-bearer", metavar="TOKEN",
                    help="answer 401 unless Authorization is Bearer TOKEN")
    ap.add_argument("--require-basic", metavar="USER:PASSWORD",
                    help="answer 401 unless Authorization is Basic USER:PASSWORD")
    ap.add_argument("--job-only", action="store_true",
                    help="label the series job, never service (the probe finds none)")
    args = ap.parse_args()

    server = Server(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.state = State(args.log)
    server.want_auth = None
    server.job_only = args.job_only
    if args.require_bearer:
        server.want_auth = "Bearer " + args.require_bearer
    elif args.require_basic:
        server.want_auth = "Basic " + base64.b64encode(
            args.require_basic.encode("utf-8")).decode("ascii")
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)

    def stop(*_):
        server.state.stop.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.exit_on_stdin_eof:
        def watch():
            while os.read(0, 4096):     # unbuffered: no lock held at exit
                pass
            stop()
        threading.Thread(target=watch, daemon=True).start()
    if args.pidfile:
        with open(args.pidfile, "w", encoding="ascii") as f:
            f.write("%d\n" % os.getpid())
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
        if args.pidfile:
            try:
                os.unlink(args.pidfile)
            except OSError:
                pass
        if server.state.log is not None:
            server.state.log.close()


if __name__ == "__main__":
    main()
