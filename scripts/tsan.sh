#!/usr/bin/env bash
# ThreadSanitizer over the threaded parts: the message store (written in the relay and network
# threads, read in the GUI thread), the relay, the client and server workers, the session writer
# and the recorder. Builds those tests only, with clang and -fsanitize=thread, in build-tsan/,
# runs them and prints each report's summary line. By hand (not in CI: about 10 minutes):
#
#   scripts/tsan.sh [TEST...]        e.g. scripts/tsan.sh tst_WireRelay
#
# Qt itself is not built with ThreadSanitizer: what it synchronises inside its own library
# (QMutex's slow path, the posted-event queue of a queued connection) is invisible to it, so a
# report whose two stacks meet only through Qt's queued signals needs reading before believing.
set -uo pipefail
cd "$(dirname "$0")/.."
build=build-tsan
tests=("$@")
if ((${#tests[@]} == 0)); then
    tests=(tst_MessageStore tst_MessageLogModel tst_MessageTap tst_WireRelay tst_IncomingFrames
        tst_ClientConnection tst_LocalServer tst_SessionRecorder tst_SessionCapture tst_PingLedger)
fi
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" "${launcher[@]}" -DWST_WERROR=OFF \
    -DWST_BUILD_TESTS=ON -DWST_BUILD_BENCH=OFF -DWST_SANITIZE=thread >/dev/null || exit 1
cmake --build "$build" --target wstester "${tests[@]}" || exit 1

logs=$PWD/$build/tsan-logs
rm -rf "$logs" && mkdir -p "$logs"
export QT_QPA_PLATFORM=offscreen
export TSAN_OPTIONS="halt_on_error=0:second_deadlock_stack=1:log_path=$logs/tsan"
status=0
for t in "${tests[@]}"; do
    bin=$(find "$build/tests" -name "$t" -type f -executable | head -1)
    if "$bin" >"$logs/$t.out" 2>&1; then
        echo "== $t: passed"
    else
        echo "== $t: FAILED (see $logs/$t.out)"
        status=1
    fi
done
echo
echo "== ThreadSanitizer reports (one line each; full stacks in $logs/tsan.*):"
if ls "$logs"/tsan.* >/dev/null 2>&1; then
    grep -h "^SUMMARY" "$logs"/tsan.* | sort | uniq -c | sort -rn
    status=1
else
    echo "none"
fi
exit $status
