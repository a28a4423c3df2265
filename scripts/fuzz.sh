#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan, in build-fuzz/) and runs
# each for SECONDS (default 60), starting from its seed corpus. WST_FUZZ_BUILD names another build
# folder (scripts/ci-sanitize.sh passes build-san). Prints each target's executions
# and coverage; exits 1 if any target found a crash, a leak, a timeout or a sanitizer report.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 600 session_file
#
# New inputs go to build-fuzz/corpus/<target>/ (not into the repository); a crash is saved as
# build-fuzz/artifacts/<target>/crash-<sha1>. Replay one with build-fuzz/fuzz/fuzz_<target> FILE.
# A crash worth keeping becomes a file of tests/fuzz/corpus/<target>/ with its fix, so that
# ctest replays it from then on.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
build=${WST_FUZZ_BUILD:-build-fuzz}

# A build folder configured already (scripts/ci-sanitize.sh's build-san) is used as it is.
if [[ ! -f "$build/CMakeCache.txt" ]]; then
    launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
        -DWST_WERROR=OFF "${launcher[@]}" -DWST_BUILD_TESTS=OFF -DWST_BUILD_BENCH=OFF -DWST_BUILD_FUZZERS=ON \
        >/dev/null || exit 1
fi
cmake --build "$build" --target wst_fuzzers || exit 1

targets=("$@")
if ((${#targets[@]} == 0)); then
    for bin in "$build"/fuzz/fuzz_*; do
        targets+=("${bin##*/fuzz_}")
    done
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0}
export QT_QPA_PLATFORM=offscreen

failed=()
summary=()
for t in "${targets[@]}"; do
    corpus="$build/corpus/$t"
    artifacts="$build/artifacts/$t/"
    log="$build/fuzz-$t.log"
    mkdir -p "$corpus" "$artifacts"
    echo "== fuzz_$t for ${seconds}s"
    # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: one that takes 2 GB is a leak
    # or an unbounded allocation. New inputs go to the first folder, seeds are read from the second.
    "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -artifact_prefix="$artifacts" "$corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1
    rc=$?
    runs=$(grep -oP 'stat::number_of_executed_units: *\K[0-9]+' "$log" | tail -1)
    speed=$(grep -oP 'stat::average_exec_per_sec: *\K[0-9]+' "$log" | tail -1)
    cov=$(grep -oP '^#[0-9]+.*\bcov: \K[0-9]+' "$log" | tail -1)
    ft=$(grep -oP '^#[0-9]+.*\bft: \K[0-9]+' "$log" | tail -1)
    line=$(printf '%-20s %10s execs %7s/s  cov %6s  ft %6s  corpus %s files' "$t" "${runs:-?}" "${speed:-?}" \
        "${cov:-?}" "${ft:-?}" "$(find "$corpus" -type f | wc -l)")
    if ((rc != 0)); then
        line+="  FAILED (exit $rc, see $log)"
        failed+=("$t")
        grep -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY:|Test unit written' "$log" | head -10
        grep -E '^ +#[0-9]+ ' "$log" | head -25
    fi
    echo "$line"
    summary+=("$line")
done

echo
echo "== fuzzing summary (${seconds}s each)"
printf '%s\n' "${summary[@]}"
if ((${#failed[@]} > 0)); then
    echo "failed: ${failed[*]}"
    exit 1
fi
