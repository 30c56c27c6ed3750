# verdict: which services are worth rewriting in a faster language.
# Plain make; libraries found with pkg-config.  See README.md.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANPREFIX  ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config
CC         ?= cc
O          ?= build
VERSION    := 0.1.0
BIN        ?= verdict
# the binary as a command: BIN may be relative (verdict) or absolute
RUN_BIN     = $(if $(filter /%,$(BIN)),$(BIN),./$(BIN))

CFLAGS ?= -O2 -g
WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wmissing-prototypes \
        -Wstrict-prototypes -Wwrite-strings
ifeq ($(WERROR),1)
WARN += -Werror
endif
# override: check-asan sets CFLAGS on the command line, which would
# otherwise drop these and leave the objects uninstrumented
ifeq ($(SANITIZE),1)
override CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
override LDFLAGS += -fsanitize=address,undefined
endif

# Lazy (=), so that `make deps` works before the libraries exist.
PKGS        = ncursesw libcurl libcjson yaml-0.1
PKG_CFLAGS  = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -pthread
TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
TEST_LIBS   = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ALL_CPPFLAGS = -Iinclude -I$(O)/gen -D_POSIX_C_SOURCE=200809L \
               -DVERDICT_VERSION='"$(VERSION)"' $(CPPFLAGS)
ALL_CFLAGS   = $(WARN) $(CFLAGS) $(PKG_CFLAGS) -pthread

MODEL_SRC := $(sort $(wildcard models/*.c))
# app/ by subsystem: prom/ (the client and the fetch), config/ (verdict.yaml),
# json/, snapshot/, report/ (every writer, the text charts, diff), tui/
APP_DIRS  := prom config json snapshot report tui
APP_SRC   := $(sort $(wildcard app/*.c $(APP_DIRS:%=app/%/*.c)))
MODEL_OBJ := $(MODEL_SRC:%.c=$(O)/%.o)
APP_OBJ   := $(APP_SRC:%.c=$(O)/%.o) $(O)/gen/demo_data.o
APP_LIB_OBJ := $(filter-out $(O)/app/main.o,$(APP_OBJ))
MODEL_LIB := $(O)/libverdict_models.a
APP_LIB   := $(O)/libverdict_app.a

# One test program per module: tests/test_<module>.c.
MODEL_TESTS := $(patsubst tests/%.c,$(O)/tests/%,$(sort $(wildcard tests/test_model_*.c)))
APP_TESTS   := $(patsubst tests/%.c,$(O)/tests/%,$(sort $(wildcard tests/test_app_*.c)))

DEMO_YAML := data/demo/verdict.yaml
DEMO_SNAP := data/demo/snapshot.json

.PHONY: all deps check-deps demo check check-unit check-scripts check-golden check-html \
        check-tui check-faults check-secrets check-termsafe check-bad \
        check-integration check-seeds check-stack check-profiles \
        check-asan check-valgrind fuzz fuzz-long check-fuzz bench \
        install uninstall clean demo-data tests

all: $(BIN)

$(BIN): $(APP_OBJ) $(MODEL_LIB)
	$(CC) $(LDFLAGS) -o $@ $(APP_OBJ) $(MODEL_LIB) $(PKG_LIBS) -lm

$(MODEL_LIB): $(MODEL_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(APP_LIB): $(APP_LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(O)/models/%.o: models/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(WARN) $(CFLAGS) -MMD -MP -c -o $@ $<

$(O)/app/%.o: app/%.c $(O)/gen/demo_data.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The demo inventory and snapshot are compiled in, so --demo needs no files.
$(O)/tools/bin2c: app/tools/bin2c.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -o $@ $<

$(O)/gen/demo_data.c $(O)/gen/demo_data.h: $(DEMO_YAML) $(DEMO_SNAP) $(O)/tools/bin2c
	@mkdir -p $(O)/gen
	$(O)/tools/bin2c $(O)/gen/demo_data demo_yaml $(DEMO_YAML) demo_snapshot $(DEMO_SNAP)

$(O)/gen/demo_data.o: $(O)/gen/demo_data.c
	$(CC) $(CFLAGS) -c -o $@ $<

# Tests: model tests link only the pure core; app tests also the app objects.
$(O)/tests/test_model_%: tests/test_model_%.c $(MODEL_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(WARN) $(CFLAGS) $(TEST_CFLAGS) -o $@ $< $(MODEL_LIB) \
	    $(LDFLAGS) $(TEST_LIBS) -lm

$(O)/tests/test_app_%: tests/test_app_%.c $(APP_LIB) $(MODEL_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(APP_LIB) $(MODEL_LIB) \
	    $(LDFLAGS) $(PKG_LIBS) $(TEST_LIBS) -lm

tests: $(BIN) $(MODEL_TESTS) $(APP_TESTS)

# Regenerate the demo snapshot (deterministic; make check verifies it).
GEN_DEMO_SRC := data/demo/gen_demo.c app/json/json_scan.c app/json/json_tree.c \
    app/snapshot/snapshot.c \
    app/snapshot/snapshot_write.c app/util.c
$(O)/tools/gen_demo: $(GEN_DEMO_SRC) $(MODEL_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $(GEN_DEMO_SRC) $(MODEL_LIB) $(LDFLAGS) \
	    $(PKG_LIBS) -lm

demo-data: $(O)/tools/gen_demo
	$(O)/tools/gen_demo > $(DEMO_SNAP).tmp && mv $(DEMO_SNAP).tmp $(DEMO_SNAP)

deps:
	@sh tests/install-deps.sh build

check-deps:
	@sh tests/install-deps.sh check

demo: deps
	@$(MAKE) --no-print-directory $(BIN)
	$(RUN_BIN) --demo

# The whole suite: unit tests, scripts on the real binary, then the same
# again under AddressSanitizer and UndefinedBehaviorSanitizer, then valgrind.
check: check-deps
	@$(MAKE) --no-print-directory WERROR=1 check-unit check-scripts check-golden check-html \
	    check-tui check-faults check-secrets check-termsafe check-bad check-integration check-seeds \
	    check-stack check-profiles check-fuzz
	@$(MAKE) --no-print-directory WERROR=1 check-asan
	@$(MAKE) --no-print-directory WERROR=1 check-valgrind

check-unit: tests
	@sh tests/run-unit.sh $(MODEL_TESTS) $(APP_TESTS)

check-scripts: $(BIN) $(O)/tools/gen_demo
	@sh tests/run-scripts.sh $(RUN_BIN) $(O)
	@sh tests/run-provenance.sh $(RUN_BIN)

# reports byte for byte against tests/golden/ (UPDATE=1 rewrites them)
check-golden: $(BIN)
	@sh tests/run-golden.sh $(RUN_BIN)
	@sh tests/run-diff.sh $(RUN_BIN)

# the HTML report printed to PDF by headless Chromium, networking off
check-html: $(BIN)
	@timeout -k 10 300 sh tests/run-html.sh $(RUN_BIN) $(O)/html

# The suites below start servers or terminals: each runs under a time limit,
# so a hang fails the check instead of stalling it.

# the TUI driven through tmux: keys in, screen text out
check-tui: $(BIN)
	@timeout -k 10 300 sh tests/tui/run.sh $(RUN_BIN)
	@timeout -k 10 300 sh tests/tui/test_cost.sh $(RUN_BIN)
	@timeout -k 10 300 sh tests/tui/test_assumptions.sh $(RUN_BIN)
	@timeout -k 10 300 sh tests/tui/test_detail.sh $(RUN_BIN)
	@timeout -k 10 300 sh tests/tui/test_export.sh $(RUN_BIN)
	@timeout -k 10 300 sh tests/tui/test_fetch.sh $(RUN_BIN)
	@timeout -k 10 300 sh tests/tui/test_mouse.sh $(RUN_BIN)
	@timeout -k 10 300 sh tests/tui/test_save.sh $(RUN_BIN)
	@timeout -k 10 120 sh tests/tui/test_termsafe.sh $(RUN_BIN)
	@timeout -k 10 120 sh tests/tui/test_secrets.sh $(RUN_BIN)

# verdict against a server that misbehaves on purpose (tests/fault_server.py)
check-faults: $(BIN)
	@timeout -k 10 600 sh tests/run-faults.sh $(RUN_BIN)

# credentials never in output, snapshots, reports, errors or -v logs
check-secrets: $(BIN)
	@timeout -k 10 120 sh tests/run-secrets.sh $(RUN_BIN)

# control characters from names, label values and server errors print inert
check-termsafe: $(BIN)
	@timeout -k 10 120 sh tests/run-termsafe.sh $(RUN_BIN)

# every bad input in tests/data/bad/ plus generated limit cases, through the real binary
check-bad: $(BIN)
	@timeout -k 10 300 sh tests/run-bad.sh $(RUN_BIN)

# verdict against real Prometheus and VictoriaMetrics servers on 127.0.0.1
check-integration: $(BIN)
	@timeout -k 10 900 sh tests/integration/run.sh $(RUN_BIN)

# The seeds' cases (issue 14, Checks) on a real Prometheus: seed 000's Python
# pipeline is migrate with break-even within 12 months, seed 003's Node.js
# gateway pays back within 24, a Go CRUD service is keep and flagged
# io_bound, a Node.js glue service is keep (tests/integration/seed_cases.sh).
check-seeds: $(BIN)
	@timeout -k 10 90 sh tests/integration/seed_cases.sh $(RUN_BIN)

# A real monitored stack on 127.0.0.1 (tests/stack/run.sh): Python
# (python3-prometheus-client), Node.js (npm prom-client, into $(O)/stack/node)
# and Go (client_golang from /usr/share/gocode, into $(O)/stack) services,
# node_exporter and Prometheus itself, scraped by job every 1 s under 75 s of
# bounded load; verdict's p99, p50, CPU and memory against direct PromQL
# (5 %) and /proc (3 %), languages detected, instances.  About 90 s.
check-stack: $(BIN)
	@timeout -k 10 300 sh tests/stack/run.sh $(RUN_BIN) $(O)

# Query profiles (issue 15) on a real Prometheus and VictoriaMetrics: one
# service per latency family (Istio and Linkerd in ms, OpenTelemetry,
# Micrometer, ingress-nginx, Prometheus's own, client libraries), Kubernetes
# cAdvisor + kube_pod_owner, GC; vmrange buckets (tests/integration/profiles.sh)
check-profiles: $(BIN)
	@timeout -k 10 60 sh tests/integration/profiles.sh $(RUN_BIN)

# libFuzzer harnesses (tests/fuzz/, clang, built in build-fuzz/): seconds per harness
FUZZ_SECONDS ?= 60

fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh

check-fuzz:
	@FUZZ_SECONDS=10 timeout -k 10 300 sh tests/fuzz/run.sh

# After changing a parser: every harness 5 minutes, one at a time (about 35 minutes)
fuzz-long:
	@FUZZ_SECONDS=300 FUZZ_JOBS=1 sh tests/fuzz/run.sh

# The benchmark, not part of make check (tests/bench/run.sh): verdict fetch
# against curl -Z at 120 and 1,000 services (wall and client CPU, in pairs),
# xargs+curl and Python at 1,000, on a real Prometheus; then the model, the
# reports and the TUI, in one table.  SERVICES=1000 SMALL=120 FETCH_REPS=5
# REPS=2 TUI_SERVICES=10000 DRAWS=10000; BENCH_ONLY=fetch (or model, tui)
# runs one part, SLOW="" leaves out xargs and Python, BEFORE=OLD_VERDICT
# measures an older build in the same rounds; the backfilled TSDB
# is cached in $(O)/bench.
bench: $(BIN) $(APP_LIB) $(MODEL_LIB)
	@sh tests/install-deps.sh bench
	@timeout -k 10 7200 sh tests/bench/run.sh $(RUN_BIN) $(O)

check-asan:
	@$(MAKE) --no-print-directory O=build-asan BIN=build-asan/verdict SANITIZE=1 CFLAGS='-O1 -g' \
	    tests build-asan/tools/gen_demo
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    sh tests/run-unit.sh $(subst $(O)/,build-asan/,$(MODEL_TESTS) $(APP_TESTS))
	@ASAN_OPTIONS=detect_leaks=1 sh tests/run-scripts.sh build-asan/verdict build-asan
	@ASAN_OPTIONS=detect_leaks=1 sh tests/run-provenance.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 sh tests/run-golden.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 sh tests/run-diff.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 timeout -k 10 300 sh tests/tui/run.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 VERDICT_TEST_MAX_KEY_MS=300 timeout -k 10 300 \
	    sh tests/tui/test_cost.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 timeout -k 10 300 sh tests/tui/test_assumptions.sh \
	    build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 timeout -k 10 300 sh tests/tui/test_detail.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 timeout -k 10 300 sh tests/tui/test_export.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 timeout -k 10 300 sh tests/tui/test_fetch.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 timeout -k 10 300 sh tests/tui/test_mouse.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 timeout -k 10 300 sh tests/tui/test_save.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 timeout -k 10 120 sh tests/tui/test_termsafe.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 timeout -k 10 120 sh tests/run-secrets.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 timeout -k 10 120 sh tests/run-termsafe.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 timeout -k 10 600 sh tests/run-bad.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 timeout -k 10 600 sh tests/run-faults.sh build-asan/verdict
	@ASAN_OPTIONS=detect_leaks=1 timeout -k 10 900 sh tests/integration/run.sh build-asan/verdict

check-valgrind: verdict
	@sh tests/run-valgrind.sh ./verdict

install: verdict
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(MANPREFIX)/man5
	cp -f verdict $(DESTDIR)$(BINDIR)/verdict
	chmod 755 $(DESTDIR)$(BINDIR)/verdict
	cp -f man/verdict.1 $(DESTDIR)$(MANPREFIX)/man1/verdict.1
	cp -f man/verdict.yaml.5 $(DESTDIR)$(MANPREFIX)/man5/verdict.yaml.5
	chmod 644 $(DESTDIR)$(MANPREFIX)/man1/verdict.1 $(DESTDIR)$(MANPREFIX)/man5/verdict.yaml.5

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/verdict $(DESTDIR)$(MANPREFIX)/man1/verdict.1 \
	    $(DESTDIR)$(MANPREFIX)/man5/verdict.yaml.5

clean:
	rm -rf build build-asan build-fuzz verdict

-include $(MODEL_OBJ:.o=.d) $(APP_OBJ:.o=.d)
