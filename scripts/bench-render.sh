#!/usr/bin/env bash
# `lambda-sync render` against `jq -c .` on the same files, in one run: wall time, CPU time and
# peak memory of each, the ratio, and the cost per MB at half, full and double size (a cost that
# grows linearly keeps the ratio and the seconds per MB flat).
#
#   scripts/bench-render.sh                # GitHub's REST description from /work/realspecs, or
#                                          # npm @octokit/openapi@23.0.2 fetched into target/
#   scripts/bench-render.sh FILE.json      # any JSON definition
#   BIN=/tmp/old/lambda-sync scripts/bench-render.sh   # another build, without building
#
# The half-size document is the first paths of FILE with the models they use; the double-size
# one is FILE and a renamed copy of it side by side (scripts/bench_render_scale.py). Each run
# gets a lambda-sync.toml that raises `[quotas] resources_per_api`, as a large API needs.
# Goals (issue 15): render <= 0.5x jq (bar: 1.0x), peak RSS < 8x the file; then, at full size,
# check <= 0.3x jq and push to a fresh local account < 2x render. Runs: RUNS (3), best.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs=${RUNS:-3}
target_dir="${CARGO_TARGET_DIR:-$root/target}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v jq >/dev/null || { echo "bench-render: jq is not installed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-render: /usr/bin/time (GNU time) is not installed" >&2; exit 2; }

file=${1:-}
if [ -z "$file" ]; then
    file=/work/realspecs/octokit/package/generated/api.github.com.json
    if [ ! -f "$file" ]; then
        pkg="$target_dir/bench-render/octokit"
        if [ ! -f "$pkg/.done" ]; then
            mkdir -p "$pkg"
            (cd "$pkg" && npm pack --silent @octokit/openapi@23.0.2 >/dev/null &&
                tar -xzf ./*.tgz package/generated/api.github.com.json && touch .done)
        fi
        file="$pkg/package/generated/api.github.com.json"
    fi
fi

# BIN=path skips the build and measures that binary (e.g. an older build, to compare).
bin=${BIN:-}
if [ -z "$bin" ]; then
    cargo build --release --locked --quiet -p lambda-sync-cli
    bin="$target_dir/release/lambda-sync"
fi

for s in half full double; do mkdir -p "$work/$s"; done
python3 scripts/bench_render_scale.py "$file" "$work/half/openapi.json" 0.5
cp "$file" "$work/full/openapi.json"
python3 scripts/bench_render_scale.py "$file" "$work/double/openapi.json" 2

# Best (minimum) wall and CPU (user + system) time and the largest peak RSS of `runs` runs.
measure() {
    local best_t="" best_c="" best_m=0 t c m
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" ||
            { cat "$work/err" >&2; exit 1; }
        read -r t u sy m <"$work/time"
        c=$(awk "BEGIN{print $u + $sy}")
        if [ -z "$best_t" ] || awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; fi
        if [ -z "$best_c" ] || awk "BEGIN{exit !($c < $best_c)}"; then best_c=$c; fi
        [ "$m" -gt "$best_m" ] && best_m=$m
    done
    echo "$best_t $best_c $best_m"
}

echo "machine load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; best of $runs runs"
printf '%-7s %8s | %-22s | %-22s | %-14s | %s\n' size MB "jq -c . (wall/cpu s)" \
    "render (wall/cpu s)" "ratio wall/cpu" "render peak RSS (x file), cpu s per MB"
for s in half full double; do
    dir="$work/$s"
    printf '[quotas]\nresources_per_api = 10000\n' >"$dir/lambda-sync.toml"
    size=$(stat -c %s "$dir/openapi.json")
    read -r jt jc jm < <(measure jq -c . "$dir/openapi.json")
    read -r rt rc rm < <(measure "$bin" render "$dir/openapi.json" -o "$dir/body.json")
    awk -v s="$s" -v size="$size" -v jt="$jt" -v jc="$jc" -v rt="$rt" -v rc="$rc" -v rm="$rm" 'BEGIN {
        mb = size / 1048576
        printf "%-7s %8.1f | %9.2f / %-10.2f | %9.2f / %-10.2f | %5.2f / %-6.2f | %6.1f MB (%.1fx), %.3f\n", \
            s, mb, jt, jc, rt, rc, (jt > 0 ? rt / jt : 0), (jc > 0 ? rc / jc : 0), \
            rm / 1024, rm * 1024 / size, rc / mb
    }'
done

# The other goals of issue 15, on the full-size file in the same sitting: `check` against jq
# (goal <= 0.3x), and `push` to the local account, fresh and again, against render (goal < 2x).
dir="$work/full"
read -r jt jc jm < <(measure jq -c . "$dir/openapi.json")
read -r rt rc rm < <(measure "$bin" render "$dir/openapi.json" -o "$dir/body.json")
read -r ct cc cm < <(measure "$bin" check "$dir/openapi.json" --format json)
# A fresh account each run (its own state folder), then a push with nothing to create.
best_f="" best_fm=0
for i in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
        "$bin" push "$dir/openapi.json" --state "$work/state-$i" >/dev/null 2>"$work/err" ||
        { cat "$work/err" >&2; exit 1; }
    read -r t u sy m <"$work/time"
    c=$(awk "BEGIN{print $u + $sy}")
    if [ -z "$best_f" ] || awk "BEGIN{exit !($c < $best_f)}"; then best_f=$c; fi
    [ "$m" -gt "$best_fm" ] && best_fm=$m
done
read -r at ac am < <(measure "$bin" push "$dir/openapi.json" --state "$work/state-1")
echo
awk -v jc="$jc" -v rc="$rc" -v cc="$cc" -v cm="$cm" -v fc="$best_f" -v fm="$best_fm" \
    -v ac="$ac" -v am="$am" 'BEGIN {
    printf "full size, CPU s (best of runs) and peak RSS:\n"
    printf "  check        %6.2f s  %6.1f MB   %.2fx jq      (goal <= 0.3x)\n", cc, cm / 1024, cc / jc
    printf "  push, fresh  %6.2f s  %6.1f MB   %.2fx render  (goal < 2x)\n", fc, fm / 1024, fc / rc
    printf "  push again   %6.2f s  %6.1f MB   %.2fx render\n", ac, am / 1024, ac / rc
}'
