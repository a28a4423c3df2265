#!/usr/bin/env bash
# tst_Install: installs the build into a temporary root (cmake --install with DESTDIR) and checks
# every file a Linux desktop looks for, with the desktop's own validators.
# Usage: check-install.sh BUILD_DIR
set -uo pipefail
build=$1
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
id=io.github.wstester.WsTester
fail=0
problem() { echo "FAIL: $*"; fail=1; }

DESTDIR="$root" cmake --install "$build" --prefix /usr >"$root.log" 2>&1 || { cat "$root.log"; problem "cmake --install failed"; }
rm -f "$root.log"

for f in /usr/bin/wstester \
    /usr/share/applications/$id.desktop \
    /usr/share/metainfo/$id.metainfo.xml \
    /usr/share/mime/packages/$id.xml \
    /usr/share/icons/hicolor/scalable/apps/$id.svg \
    /usr/share/icons/hicolor/scalable/mimetypes/application-x-wstsession.svg \
    /usr/share/doc/wstester/copyright \
    /usr/share/doc/wstester/changelog.Debian.gz \
    /usr/share/man/man1/wstester.1.gz \
    /usr/share/bash-completion/completions/wstester \
    /usr/share/zsh/vendor-completions/_wstester \
    /usr/share/fish/vendor_completions.d/wstester.fish; do
    [[ -s "$root$f" ]] || problem "not installed: $f"
done
for size in 16 22 24 32 48 64 128 256; do
    png="$root/usr/share/icons/hicolor/${size}x${size}/apps/$id.png"
    [[ -s "$png" ]] || { problem "not installed: ${png#"$root"}"; continue; }
    # The PNG header holds width and height at bytes 16-23.
    dims=$(od -An -tu1 -j16 -N8 "$png" | awk '{print $3*256+$4 "x" $7*256+$8}')
    [[ "$dims" == "${size}x${size}" ]] || problem "${png#"$root"} is $dims, not ${size}x${size}"
done

desktop="$root/usr/share/applications/$id.desktop"
out=$(desktop-file-validate "$desktop" 2>&1) || problem "desktop-file-validate: $out"
[[ -z "$out" ]] || problem "desktop-file-validate says: $out"
for want in 'x-scheme-handler/ws;' 'x-scheme-handler/wss;' 'application/x-wstsession;' \
    'Exec=wstester --new-server' 'Exec=wstester --new-connection' 'Name[zh_CN]=' "Icon=$id"; do
    grep -qF -- "$want" "$desktop" || problem "the desktop file lacks $want"
done

out=$(appstreamcli validate --no-net "$root/usr/share/metainfo/$id.metainfo.xml" 2>&1) \
    || problem "appstreamcli validate: $out"

# The MIME package compiles, and the compiled database knows the glob and the magic.
mkdir -p "$root/mime"
cp -r "$root/usr/share/mime/packages" "$root/mime/"
out=$(XDG_DATA_HOME="$root" update-mime-database "$root/mime" 2>&1) || problem "update-mime-database: $out"
[[ -z "$out" ]] || problem "update-mime-database says: $out"
grep -q '^[0-9]*:application/x-wstsession:\*\.wstsession$' "$root/mime/globs2" \
    || problem "the compiled MIME globs lack *.wstsession"
grep -aq 'application/x-wstsession' "$root/mime/magic" || problem "the compiled MIME magic lacks the session type"

# The installed binary runs.
version=$("$root/usr/bin/wstester" --version 2>&1) || problem "wstester --version failed: $version"
[[ "$version" == wstester* ]] || problem "wstester --version printed: $version"

((fail)) && exit 1
echo "installed files: all present and valid"
