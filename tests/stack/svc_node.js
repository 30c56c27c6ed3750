// svc_node.js: a test service instrumented with npm's prom-client.
//
// Usage: NODE_PATH=DIR/node_modules node svc_node.js PORT WORK
//
// Listens on 127.0.0.1:PORT.  GET /work does WORK iterations of a fixed
// integer loop (a known amount of CPU, about 2 ms at WORK=2000000 on V8)
// and records its duration in the histogram
// http_request_duration_seconds{method, path, code}; GET /metrics serves
// the default registry: that histogram plus collectDefaultMetrics()
// (process_cpu_seconds_total, process_resident_memory_bytes,
// nodejs_version_info, nodejs_gc_duration_seconds, ...).  No `service`
// label: Prometheus adds job and instance.  Runs until killed (run.sh
// stops it by PID).
'use strict';

const http = require('http');
const client = require('prom-client');

// the same buckets in all three test services (tests/stack/run.sh)
const BUCKETS = [0.0005, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015,
    0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1.0];

if (process.argv.length !== 4) {
    process.stderr.write('usage: node svc_node.js PORT WORK\n');
    process.exit(2);
}
const port = Number(process.argv[2]);
const workN = Number(process.argv[3]);

client.collectDefaultMetrics();
const hist = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests in seconds.',
    labelNames: ['method', 'path', 'code'],
    buckets: BUCKETS,
});

function work(n) {
    let x = 0;
    for (let i = 0; i < n; i++)
        x = (Math.imul(x, 31) + i) >>> 0;
    return x;
}

const server = http.createServer((req, res) => {
    if (req.url === '/metrics') {
        client.register.metrics().then((body) => {
            res.writeHead(200, { 'Content-Type': client.register.contentType });
            res.end(body);
        }, (err) => {
            res.writeHead(500, { 'Content-Type': 'text/plain' });
            res.end(String(err) + '\n');
        });
    } else if (req.url === '/work') {
        const end = hist.startTimer({ method: 'GET', path: '/work' });
        const body = work(workN) + '\n';
        end({ code: 200 });
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(body);
    } else {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found\n');
    }
});
server.keepAliveTimeout = 30000;
server.listen(port, '127.0.0.1');
