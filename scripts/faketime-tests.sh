#!/usr/bin/env bash
# The engine and CLI tests with the clock years ahead (Debian's faketime), to prove that no
# library reads the clock and that the runtime check keeps working when the runtime catalogue is
# old. Cargo itself is not run under faketime (rustc hangs under libfaketime): the test binaries
# are built normally, then each is run under faketime from its package's folder, as cargo would.
# FAKETIME_AT overrides the day (default 2031-07-01).
set -euo pipefail
cd "$(dirname "$0")/.."
at="${FAKETIME_AT:-2031-07-01}"
if ! command -v faketime >/dev/null; then
  apt-get install -y faketime >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y faketime >/dev/null; }
fi
binaries=$(cargo test -p lambda-sync -p lambda-sync-cli --locked --no-run --message-format=json |
  python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        print(m["executable"] + "\t" + m["manifest_path"].rsplit("/", 1)[0])
')
[ -n "$binaries" ] || { echo "no test binaries were built" >&2; exit 1; }
status=0
while IFS=$'\t' read -r exe dir; do
  echo "--> $(basename "$exe") under faketime $at (in $dir)"
  # The clock starts at $at and runs on; the monotonic clock (timers, timeouts) is left real.
  (cd "$dir" && FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "@$at 00:00:00" "$exe" -q) || status=1
done <<< "$binaries"
exit $status
