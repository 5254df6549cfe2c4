#!/usr/bin/env bash
# Compares loading a large definition with lambda-sync-spec (load + operation views) against
# `jq -c . FILE >/dev/null`, and reports peak memory against the file size.
#
#   scripts/bench-spec.sh            # the synthetic 2,000-operation, 1,500-schema definition
#   scripts/bench-spec.sh FILE.json  # any definition (e.g. api.github.com.json from @octokit/openapi)
#
# Targets (issue 2): load + views well under half of jq's time; peak RSS under 8x the file size.
set -euo pipefail

cd "$(dirname "$0")/.."
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v jq >/dev/null || { echo "jq is not installed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is not installed" >&2; exit 2; }

cargo build --release --quiet -p lambda-sync-spec --example load_spec
bin=target/release/examples/load_spec

file=${1:-}
if [ -z "$file" ]; then
    file=$work/synthetic.json
    "$bin" generate "$file"
fi
size=$(stat -c %s "$file")

# Best (minimum) wall time and peak RSS of `runs` runs of a command.
measure() {
    local best_t="" best_m=0 t m
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
        read -r t m <"$work/time"
        if [ -z "$best_t" ] || awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; fi
        [ "$m" -gt "$best_m" ] && best_m=$m
    done
    echo "$best_t $best_m"
}

read -r jq_t jq_m < <(measure jq -c . "$file")
read -r our_t our_m < <(measure "$bin" load "$file")
# The loader's own time (load_path + operations(), measured inside the process: without
# process start-up and without freeing the document at exit), best of `runs`.
inner_ms=$(for _ in $(seq "$runs"); do "$bin" load "$file"; done |
    sed -n 's/.*load+operations \([0-9.]*\) ms.*/\1/p' | sort -g | head -1)
"$bin" load "$file"

awk -v f="$file" -v size="$size" -v jt="$jq_t" -v jm="$jq_m" -v ot="$our_t" -v om="$our_m" \
    -v it="$inner_ms" -v runs="$runs" 'BEGIN {
    mb = size / 1048576
    printf "file:               %s (%.1f MB)\n", f, mb
    printf "jq -c . >/dev/null: %.2f s, peak RSS %.1f MB (best of %d, whole process)\n", jt, jm / 1024, runs
    printf "load + views:       %.2f s, peak RSS %.1f MB (best of %d, whole process)\n", ot, om / 1024, runs
    printf "                    %.2f s in the loader itself (best of %d)\n", it / 1000, runs
    printf "time ratio:         %.2f of jq whole process, %.2f loader only (target: well under 0.5)\n", \
        (jt > 0 ? ot / jt : 0), (jt > 0 ? it / 1000 / jt : 0)
    printf "memory ratio:       %.1fx the file size (target: under 8x)\n", om * 1024 / size
}'
