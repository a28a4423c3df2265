#!/usr/bin/env bash
# The whole suite built with clang, AddressSanitizer + UndefinedBehaviorSanitizer and
# LeakSanitizer (two tests at a time), then each libFuzzer target for 30 s, all from one build
# folder (build-san/: the fuzz targets need clang, and one build of the core serves both). Run by .ci/run; by hand:
#
#   scripts/ci-sanitize.sh [FUZZ_SECONDS]
#
# Every report stops its process (halt_on_error) and is also written to
# build-san/sanitizer-logs/, so that a report in a wstester child that a test did not look at
# still fails the job. Leaks: tests/sanitizers/lsan.supp (OpenSSL's one-time allocations only).
# ASan options: a 16 MiB quarantine and memory given back to the system every 100 ms, so that the
# tests that bound RSS (hostile.py doubles its limits under ASan) measure wstester, not ASan's
# default 256 MiB of quarantined memory.
set -uo pipefail
cd "$(dirname "$0")/.."
# 30 s per fuzz target (scripts/fuzz.sh by hand defaults to 60 s). CI has 90 minutes for all of
# .ci/run: when it passes WST_CI_DEADLINE (seconds since the epoch by which fuzzing must be over),
# the targets share the time left before it, 5 to 30 s each.
seconds=${1:-30}
status=0
start=$(date +%s)
step() { echo "== $1: $(($(date +%s) - start)) s"; }

build=build-san
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
logs=$PWD/$build/sanitizer-logs
# -O1 and line tables only: a third faster to build than -O2 -g, and the stacks keep file:line.
if cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" "${launcher[@]}" -DWST_WERROR=OFF \
        -DWST_BUILD_TESTS=ON -DWST_BUILD_FUZZERS=ON -DWST_BUILD_BENCH=OFF -DWST_SANITIZE=address,undefined \
        && cmake --build "$build"; then
    step "sanitizer build"
    rm -rf "$logs" && mkdir -p "$logs"
    ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:quarantine_size_mb=16:allocator_release_to_os_interval_ms=100:log_path=$logs/asan \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan \
    LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0 \
        ctest --test-dir "$build" --output-on-failure -j2 || status=1
    if [[ -n "$(ls -A "$logs")" ]]; then
        echo "== sanitizer reports:"
        for f in "$logs"/*; do echo "-- $f"; cat "$f"; done
        status=1
    fi
    step "sanitizer suite"
    # Fuzzing: every target from its seed corpus (scripts/fuzz.sh prints executions and coverage).
    if [[ -n "${WST_CI_DEADLINE:-}" ]]; then
        targets=$(find "$build/fuzz" -maxdepth 1 -name 'fuzz_*' -type f | wc -l)
        share=$(((WST_CI_DEADLINE - $(date +%s)) / (targets > 0 ? targets : 1) - 2))
        seconds=$((share < 5 ? 5 : share < seconds ? share : seconds))
        echo "== fuzzing $targets targets for $seconds s each (deadline in $((WST_CI_DEADLINE - $(date +%s))) s)"
    fi
    WST_FUZZ_BUILD=$build scripts/fuzz.sh "$seconds" || status=1
    step "fuzzing"
else
    status=1
fi
exit $status
