#!/usr/bin/env bash
# Runs a command with cfn-lint (the CloudFormation and SAM template linter, from PyPI) available.
#
#   scripts/with-cfn-lint.sh cargo test -p lambda-sync-cli --test it export
#
# Creates (or reuses) a virtual environment at target/cfn-lint-venv with cfn-lint, exports
# LAMBDA_SYNC_CFN_LINT (the path of its cfn-lint program; the export tests lint the templates
# they write with it and fail if it is set but missing), runs the command, and exits with its
# status.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

CFN_LINT_VERSION="1.58.0"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
venv="$target_dir/cfn-lint-venv"
mkdir -p "$target_dir"

python="${PYTHON:-python3}"
if ! "$venv/bin/cfn-lint" --version 2>/dev/null | grep -q "$CFN_LINT_VERSION"; then
    echo "with-cfn-lint: installing cfn-lint==$CFN_LINT_VERSION into $venv" >&2
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION"
fi
export LAMBDA_SYNC_CFN_LINT="$venv/bin/cfn-lint"
echo "with-cfn-lint: $("$LAMBDA_SYNC_CFN_LINT" --version)" >&2
exec "$@"
