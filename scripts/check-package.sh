#!/usr/bin/env bash
# Builds the Debian package of a build folder and checks it as a user would meet it: lintian,
# its files, a real `apt install` of it, the installed binary against a real peer, and a clean
# removal. Needs root (or sudo) for apt. CI runs it after the suite (.ci/run).
# Usage: scripts/check-package.sh [BUILD_DIR]   (default: build)
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
as_root=()
[[ $(id -u) -eq 0 ]] || as_root=(sudo)
fail=0
problem() { echo "FAIL: $*"; fail=1; }

rm -f "$build"/wstester_*.deb
(cd "$build" && cpack -G DEB >cpack.log 2>&1) || { cat "$build/cpack.log"; echo "FAIL: cpack"; exit 1; }
deb=$(ls "$build"/wstester_*.deb 2>/dev/null | head -1)
[[ -n "$deb" ]] || { echo "FAIL: cpack made no .deb"; exit 1; }
echo "package: $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb -f "$deb" Package Version Section Depends | sed 's/^/  /'

# lintian: no errors. Its warnings are printed; README ("Install") says which are left and why.
lint=$(lintian --tag-display-limit 0 "$deb" 2>&1 | grep -v "running with root privileges")
echo "$lint" | sed 's/^/  lintian: /'
if echo "$lint" | grep -q '^E:'; then problem "lintian reports errors"; fi

# The package's Depends come from the binary's libraries (shlibdeps) plus the Qt plug-ins.
depends=$(dpkg-deb -f "$deb" Depends)
for want in libqt6widgets6 libqt6websockets6 qt6-qpa-plugins libqt6sql6-sqlite; do
    [[ "$depends" == *"$want"* ]] || problem "Depends lacks $want: $depends"
done

# A real install, the installed binary run headless against a real peer, and a clean removal.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "./$deb" >"$build/apt.log" 2>&1 \
    || { tail -20 "$build/apt.log"; problem "apt install of the package failed"; }
if [[ -x /usr/bin/wstester ]]; then
    /usr/bin/wstester --version || problem "the installed wstester --version failed"
    for f in /usr/share/applications/io.github.wstester.WsTester.desktop \
        /usr/share/metainfo/io.github.wstester.WsTester.metainfo.xml \
        /usr/share/mime/packages/io.github.wstester.WsTester.xml \
        /usr/share/icons/hicolor/256x256/apps/io.github.wstester.WsTester.png; do
        [[ -s "$f" ]] || problem "the package did not install $f"
    done
    coproc PEER { exec /usr/bin/python3 tests/peers/echo_server.py; }
    port=
    read -r -t 10 port <&"${PEER[0]}" || problem "the echo peer did not start"
    out=$(timeout 20 /usr/bin/wstester connect "ws://127.0.0.1:$port/" -s "hello from the package" -n 1 2>&1)
    [[ "$out" == *"hello from the package"* ]] || problem "the installed wstester did not get its echo: $out"
    if [[ -n "${PEER_PID:-}" ]]; then
        kill "$PEER_PID" 2>/dev/null
        wait "$PEER_PID" 2>/dev/null
    fi
else
    problem "/usr/bin/wstester is not there after the install"
fi
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q --purge wstester >>"$build/apt.log" 2>&1 \
    || problem "apt remove failed"
left=$(dpkg -L wstester 2>/dev/null | grep -v '^/\.$' || true)
[[ ! -e /usr/bin/wstester && -z "$left" ]] || problem "files left after the removal: /usr/bin/wstester $left"

((fail)) && exit 1
echo "package: built, lintian clean of errors, installed, ran, removed"
