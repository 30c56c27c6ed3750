#!/bin/sh
# run.sh: build the libFuzzer harnesses, replay their regressions, then fuzz each for a while.
# Usage: [FUZZ_SECONDS=60] sh tests/fuzz/run.sh [HARNESS...]
#
# Harnesses are tests/fuzz/fuzz_<name>.c; each has seeds in corpus/<name>/,
# crashes found before in regressions/<name>/ (run once, every time) and
# optionally a dictionary <name>.dict.  The committed corpus is copied to
# a temporary directory first, so it only grows when asked:
#   FUZZ_SECONDS=N        seconds of fuzzing per harness (default 60; 0: replay only)
#   FUZZ_JOBS=N           harnesses fuzzed at once (default 2)
#   FUZZ_UPDATE_CORPUS=1  merge what was found (minimised) into corpus/<name>/
#   FUZZ_CC, FUZZ_O       compiler (default clang) and build directory (build-fuzz)
# A crash, leak, timeout or failed check prints the log and the input, keeps
# the input in $FUZZ_O/artifacts/<name>/ and fails the run.  To keep it as a
# regression: fix the cause, then copy the input to regressions/<name>/.
# Needs clang and libFuzzer's runtime (Debian: clang, libclang-rt-14-dev).
set -u
cd "$(dirname "$0")/../.." || exit 1

seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-2}
cc=${FUZZ_CC:-clang}
o=${FUZZ_O:-build-fuzz}
pkgs="libcjson yaml-0.1 libcurl"
# cflags as the Makefile's (ncursesw's carry the feature macros, e.g. realpath's)
cpkgs="ncursesw libcurl libcjson yaml-0.1"
all="config yaml_edit prom_decode snapshot units promql diff"
harnesses=${*:-$all}

# The pure core and the app layer as a static library, so each harness
# links only what it reaches.  Not main.c, nor what needs the generated
# demo data (the Makefile's build directory may not exist yet).
app_src=$(grep -L 'demo_data\.h' app/*.c app/*/*.c | grep -v '^app/main\.c$' | grep -v '^app/tools/')
warn="-std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wmissing-prototypes
      -Wstrict-prototypes -Wwrite-strings"
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
cflags="$warn -O1 -g $san -D_POSIX_C_SOURCE=200809L -Iinclude $(pkg-config --cflags $cpkgs)"
libs="$(pkg-config --libs $pkgs) -lm"
# one line: the compile command below is pasted into sh -c
# shellcheck disable=SC2086
cflags=$(echo $cflags) app_src=$(echo $app_src)

# Per harness: the longest input tried (bytes).  Each is several times
# what a meaningful input needs, and small enough that one run of the
# slowest input stays far below the timeout.
max_len() {
    case $1 in
    units) echo 64 ;;
    promql) echo 512 ;;
    yaml_edit) echo 4096 ;;
    *) echo 16384 ;;
    esac
}

if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz: $cc not found (Debian: apt-get install clang libclang-rt-14-dev)" >&2
    exit 1
fi
mkdir -p "$o/obj" "$o/artifacts" || exit 1
probe="$o/probe.c"
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
    >"$probe"
if ! "$cc" -fsanitize=fuzzer,address -o "$o/probe" "$probe" 2>"$o/probe.log"; then
    cat "$o/probe.log" >&2
    echo "fuzz: $cc cannot link libFuzzer (Debian: apt-get install libclang-rt-14-dev)" >&2
    exit 1
fi

# ---- build: objects rebuilt when their source, a header or this script is newer
newest=$(ls -t include/verdict/*.h app/*/*.h tests/fuzz/run.sh | head -n 1)
stale=""
objs=""
for src in models/*.c $app_src; do
    obj="$o/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')"
    objs="$objs $obj"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest" -nt "$obj" ]; then
        stale="$stale $src"
    fi
done
if [ -n "$stale" ]; then
    echo "fuzz: compiling$stale" | fold -s -w 100
    # shellcheck disable=SC2086
    if ! printf '%s\n' $stale | xargs -P "$jobs" -I{} sh -c \
        'obj="$1/obj/$(echo "$2" | tr / _ | sed "s/\.c\$/.o/")"
         exec '"$cc"' '"$cflags"' -fsanitize=fuzzer-no-link -c -o "$obj" "$2"' \
        sh "$o" {}; then
        echo "fuzz: build failed" >&2
        exit 1
    fi
fi
if [ -n "$stale" ] || [ ! -f "$o/libfuzz.a" ]; then
    rm -f "$o/libfuzz.a"
    # shellcheck disable=SC2086
    ar rcs "$o/libfuzz.a" $objs || exit 1
fi

for h in $harnesses; do
    if [ ! -f "tests/fuzz/fuzz_$h.c" ]; then
        echo "fuzz: no harness tests/fuzz/fuzz_$h.c" >&2
        exit 2
    fi
    bin="$o/fuzz_$h"
    if [ ! -f "$bin" ] || [ "tests/fuzz/fuzz_$h.c" -nt "$bin" ] ||
        [ tests/fuzz/fuzz.h -nt "$bin" ] || [ "$o/libfuzz.a" -nt "$bin" ]; then
        # shellcheck disable=SC2086
        $cc $cflags -Itests/fuzz -fsanitize=fuzzer -o "$bin" "tests/fuzz/fuzz_$h.c" \
            "$o/libfuzz.a" $libs || { echo "fuzz: cannot build $bin" >&2; exit 1; }
    fi
done

# ---- run
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

# fuzz_one NAME: replay regressions and seeds, then fuzz; status in $tmp/NAME.rc
fuzz_one() {
    h=$1
    bin="$o/fuzz_$h"
    w="$tmp/$h"
    mkdir -p "$w/corpus" "$w/new"
    cp -R "tests/fuzz/corpus/$h/." "$w/corpus/" 2>/dev/null
    dict=""
    [ -f "tests/fuzz/$h.dict" ] && dict="-dict=tests/fuzz/$h.dict"
    common="-rss_limit_mb=2048 -timeout=10 -max_len=$(max_len "$h") -artifact_prefix=$w/"
    rc=0
    if [ -d "tests/fuzz/regressions/$h" ] && [ -n "$(ls "tests/fuzz/regressions/$h")" ]; then
        # shellcheck disable=SC2086
        "$bin" $common "tests/fuzz/regressions/$h"/* >"$w/replay.log" 2>&1 || rc=1
    fi
    if [ "$rc" = 0 ] && [ "$seconds" -gt 0 ]; then
        # shellcheck disable=SC2086
        "$bin" $common $dict -max_total_time="$seconds" -print_final_stats=1 \
            "$w/new" "$w/corpus" >"$w/fuzz.log" 2>&1 || rc=1
    elif [ "$rc" = 0 ]; then
        # shellcheck disable=SC2086
        "$bin" $common -runs=0 "$w/corpus" >"$w/fuzz.log" 2>&1 || rc=1
    fi
    echo "$rc" >"$tmp/$h.rc"
}

running=0
for h in $harnesses; do
    fuzz_one "$h" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait
        running=0
    fi
done
wait

passed=0
failed=0
for h in $harnesses; do
    w="$tmp/$h"
    log="$w/fuzz.log"
    [ -f "$log" ] || log="$w/replay.log"
    if [ "$(cat "$tmp/$h.rc" 2>/dev/null)" = 0 ]; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
        corp=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | sed 's/corp: //')
        if [ "$seconds" -gt 0 ]; then
            echo "PASS: fuzz_$h (${runs:-0} runs, ${speed:-0} exec/s, ${cov:-?} edges," \
                "corpus ${corp:-?})"
        else
            echo "PASS: fuzz_$h (seeds and regressions replayed: ${cov:-?} edges)"
        fi
        passed=$((passed + 1))
        if [ "${FUZZ_UPDATE_CORPUS:-0}" = 1 ] && [ -n "$(ls "$w/new")" ]; then
            "$o/fuzz_$h" -merge=1 -max_len="$(max_len "$h")" "tests/fuzz/corpus/$h" "$w/new" \
                >"$w/merge.log" 2>&1 && echo "fuzz: merged new inputs into tests/fuzz/corpus/$h"
        fi
        continue
    fi
    failed=$((failed + 1))
    echo "FAIL: fuzz_$h"
    if [ -s "$w/replay.log" ] && [ ! -f "$w/fuzz.log" ]; then
        tail -n 40 "$w/replay.log" | sed 's/^/    /'
    fi
    [ -f "$w/fuzz.log" ] && tail -n 60 "$w/fuzz.log" | sed 's/^/    /'
    mkdir -p "$o/artifacts/$h"
    for a in "$w"/crash-* "$w"/leak-* "$w"/timeout-* "$w"/oom-* "$w"/slow-unit-*; do
        [ -f "$a" ] || continue
        cp "$a" "$o/artifacts/$h/"
        echo "    input kept as $o/artifacts/$h/$(basename "$a") ($(wc -c <"$a") bytes):"
        od -A d -c "$a" | head -n 20 | sed 's/^/      /'
    done
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]
