#!/usr/bin/env bash
# The whole suite built with AddressSanitizer + UndefinedBehaviorSanitizer, then each fuzz target
# for 60 s. Run by .ci/run when WST_CI_SANITIZE=1; by hand: scripts/ci-sanitize.sh
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
start=$(date +%s)
step() { echo "== $1: $(($(date +%s) - start)) s"; }
# LeakSanitizer is off for now: it still reports a server-side QTcpSocket and QWebSocket left
# behind when a server stops mid-handshake, and OpenSSL's one-time allocations (see the README's
# Reliability paragraph); tests/sanitizers/lsan.supp is where justified suppressions go.
# Sanitizers: a separate build of everything (app, core, tests) with -fsanitize=address,undefined
# and frame pointers (WST_SANITIZE in CMakeLists.txt). Every report stops its process
# (halt_on_error) and is also written to build-asan/sanitizer-logs/, so that a report in a
# wstester child that a test did not look at still fails the job.
logs=$PWD/build-asan/sanitizer-logs
rm -rf "$logs" && mkdir -p "$logs"
if cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWST_BUILD_BENCH=OFF \
        -DWST_WERROR=OFF -DWST_SANITIZE=address,undefined && cmake --build build-asan; then
    step "sanitizer build"
    ASAN_OPTIONS=halt_on_error=1:detect_leaks=0:log_path=$logs/asan \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan \
    LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0 \
        ctest --test-dir build-asan --output-on-failure || status=1
    if [[ -n "$(ls -A "$logs")" ]]; then
        echo "== sanitizer reports:"
        for f in "$logs"/*; do echo "-- $f"; cat "$f"; done
        status=1
    fi
else
    status=1
fi
step "sanitizer suite"

# Fuzzing: every target for 60 s from its seed corpus (clang, libFuzzer, ASan + UBSan).
scripts/fuzz.sh 60 || status=1
step "fuzzing"
exit $status
