#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for a few seconds: the targets keep building, and
# shallow bugs show up in CI. Longer runs: FUZZ_SECONDS=600 scripts/fuzz-smoke.sh
#
# cargo-fuzz wants a nightly compiler; RUSTC_BOOTSTRAP=1 lets the stable toolchain build with
# the sanitizer flags it passes. A crash leaves its input in fuzz/artifacts/<target>/ and fails
# this script.
set -euo pipefail

cd "$(dirname "$0")/../fuzz"
seconds=${FUZZ_SECONDS:-15}

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

export RUSTC_BOOTSTRAP=1
# A build without RUSTC_BOOTSTRAP caches a failed nightly check; drop the cache.
rm -f target/.rustc_info.json

seeds=../crates/spec/tests/fixtures
for target in $(cargo fuzz list); do
    mkdir -p "corpus/$target"
    echo "fuzz-smoke: $target for ${seconds}s" >&2
    cargo fuzz run "$target" "corpus/$target" "$seeds/specs" "$seeds/bundle" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=16384 -timeout=10 \
        -print_final_stats=1
done
