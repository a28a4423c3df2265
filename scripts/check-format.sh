#!/usr/bin/env bash
# Checks that every C++ file in the repository follows .clang-format (Debian 12's clang-format
# 14). Lists the files that do not and exits 1; with --fix, formats them in place instead.
#
#   scripts/check-format.sh [--fix]
set -uo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.h')
if [[ "${1:-}" == "--fix" ]]; then
    clang-format -i "${files[@]}"
    exit 0
fi
bad=()
for f in "${files[@]}"; do
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]} > 0)); then
    echo "Not formatted as .clang-format says (scripts/check-format.sh --fix formats them):"
    printf '  %s\n' "${bad[@]}"
    exit 1
fi
echo "All ${#files[@]} C++ files follow .clang-format."
