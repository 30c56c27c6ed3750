// svc_go.go: a test service instrumented with Debian's client_golang
// (golang-github-prometheus-client-golang-dev, built in GOPATH mode from
// /usr/share/gocode: see run.sh).
//
// Usage: svc-go PORT WORK
//
// Listens on 127.0.0.1:PORT.  GET /work does WORK iterations of a fixed
// integer loop (a known amount of CPU, about 2 ms at WORK=2000000) and
// records its duration, through promhttp.InstrumentHandlerDuration, in the
// histogram http_request_duration_seconds{code, method}; GET /metrics is
// promhttp.Handler(): that histogram plus the default registry's process
// collector (process_cpu_seconds_total, process_resident_memory_bytes)
// and Go collector (go_info, go_gc_duration_seconds, ...).  No `service`
// label: Prometheus adds job and instance.  Runs until killed (run.sh
// stops it by PID).
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// the same buckets in all three test services (tests/stack/run.sh)
var buckets = []float64{0.0005, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01,
	0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1.0}

var duration = promauto.NewHistogramVec(prometheus.HistogramOpts{
	Name:    "http_request_duration_seconds",
	Help:    "Duration of HTTP requests in seconds.",
	Buckets: buckets,
}, []string{"code", "method"})

func work(n int) uint32 {
	var x uint32
	for i := 0; i < n; i++ {
		x = x*31 + uint32(i)
	}
	return x
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: svc-go PORT WORK")
		os.Exit(2)
	}
	port, err1 := strconv.Atoi(os.Args[1])
	n, err2 := strconv.Atoi(os.Args[2])
	if err1 != nil || err2 != nil {
		fmt.Fprintln(os.Stderr, "usage: svc-go PORT WORK")
		os.Exit(2)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.Handler())
	mux.Handle("/work", promhttp.InstrumentHandlerDuration(duration,
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "%d\n", work(n))
		})))
	log.Fatal(http.ListenAndServe(fmt.Sprintf("127.0.0.1:%d", port), mux))
}
