#!/usr/bin/env bash
# Validates the transform output of every lambda-sync-compat fixture with openapi-spec-validator:
# each output must be a valid OpenAPI document of its input's version (3.0 where 3.1 was lowered).
#
# Usage: scripts/validate-compat.sh        (from anywhere in the repository)
# Creates or reuses a virtualenv at target/validator-venv.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="$root/target/validator-venv"
if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check openapi-spec-validator
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo run --quiet -p lambda-sync-compat --example compat-fixtures -- "$out" > "$out/index.txt"

failed=0
count=0
while read -r name version; do
    count=$((count + 1))
    case "$version" in
        2.0) schema=2.0 ;;
        3.0) schema=3.0 ;;
        *) echo "FAIL $name: unexpected output version $version"; failed=$((failed + 1)); continue ;;
    esac
    if log="$("$venv/bin/openapi-spec-validator" --schema "$schema" "$out/$name" 2>&1)"; then
        echo "ok   $name (OpenAPI $version)"
    else
        echo "FAIL $name (OpenAPI $version)"
        echo "$log" | tail -n 20 | sed 's/^/     /'
        failed=$((failed + 1))
    fi
done < "$out/index.txt"

if [ "$count" -eq 0 ]; then
    echo "no fixture output to validate" >&2
    exit 1
fi
echo "$((count - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
