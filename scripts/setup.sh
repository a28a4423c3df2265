#!/usr/bin/env bash
# Installs what wstester needs on Debian 12: the build tools and Qt 6.4 for the app, and with
# --tests also the peers the tests start (python3-websockets, openssl, Chromium, Node's ws),
# python3-yaml (tst_LoadExport reads the Artillery export), protoc and python's protobuf, msgpack,
# bson and cbor2 (the binary decoders are tested against what the real libraries write),
# clang with its sanitizer and libFuzzer runtimes (scripts/fuzz.sh, scripts/ci-sanitize.sh) and
# clang-format (scripts/check-format.sh), and the checkers of the installed files and the Debian
# package (desktop-file-validate, appstreamcli, lintian: tests/install), groff, zsh and fish
# (tst_CliDocs reads the man page and the completions with them), tzdata (tst_MessageLogModel
# shows times in zones with daylight saving). Safe to run again.
set -euo pipefail

packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-websockets-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-qpa-plugins qt6-translations-l10n libqt6sql6-sqlite libsqlite3-dev libqt6svg6 libgl-dev
    qtkeychain-qt6-dev qt6-declarative-dev libssl-dev
    libprotobuf-dev libprotoc-dev libmsgpack-cxx-dev libbson-dev qt6-charts-dev
    fonts-noto-cjk
)
tests=0
if [[ "${1:-}" == "--tests" ]]; then
    tests=1
    packages+=(python3 python3-websockets python3-yaml openssl chromium clang libclang-rt-14-dev clang-format
        desktop-file-utils appstream shared-mime-info lintian groff-base zsh fish
        protobuf-compiler python3-protobuf python3-msgpack python3-bson python3-cbor2 tzdata)
    command -v node >/dev/null || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
    as_root=()
    if [[ $(id -u) -ne 0 ]]; then
        as_root=(sudo)
    fi
    echo "Installing: ${missing[*]}"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The Node.js peers (ws, socket.io, graphql-ws, stompjs, aedes, mqtt: tests/peers/package.json)
# live in the tests' own folder; installed again when any of them is missing.
peers="$(dirname "$0")/../tests/peers"
if ((tests)) && ! node -e 'const fs=require("fs"),r=process.argv[1],p=JSON.parse(fs.readFileSync(r+"/package.json"));process.exit(Object.keys(p.dependencies).every(d=>fs.existsSync(r+"/node_modules/"+d+"/package.json"))?0:1)' "$peers"; then
    npm install --prefix "$peers" --no-audit --no-fund --no-package-lock
fi
