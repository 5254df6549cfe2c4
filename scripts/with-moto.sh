#!/usr/bin/env bash
# Runs a command with a moto server (an AWS emulator) listening on loopback.
#
#   scripts/with-moto.sh cargo test -p lambda-sync-aws --test it
#
# Creates (or reuses) a virtual environment at target/moto-venv with moto[server] from PyPI,
# starts moto_server on a free 127.0.0.1 port (log: target/moto.log), creates the IAM role
# moto requires for CreateFunction, exports
#   LAMBDA_SYNC_TEST_ENDPOINT, LAMBDA_SYNC_TEST_ROLE, LAMBDA_SYNC_TEST_REGION,
#   LAMBDA_SYNC_TEST_PYTHON (a python3 with boto3),
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_DEFAULT_REGION
# (dummy credentials), runs the command, and stops the server by its pid, also on failure.
# Exits with the command's status.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

MOTO_VERSION="5.2.5"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
venv="$target_dir/moto-venv"
log="$target_dir/moto.log"
mkdir -p "$target_dir"

python="${PYTHON:-python3}"
if ! "$venv/bin/python" -c "import moto, boto3; assert moto.__version__ == '$MOTO_VERSION'" >/dev/null 2>&1; then
    echo "with-moto: installing moto[server]==$MOTO_VERSION into $venv" >&2
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi

port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
endpoint="http://127.0.0.1:$port"

"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!

stop_moto() {
    if kill -0 "$moto_pid" 2>/dev/null; then
        kill "$moto_pid" 2>/dev/null || true
        wait "$moto_pid" 2>/dev/null || true
    fi
}
trap stop_moto EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Wait (at most ~30 s) until the server answers.
ready=""
for _ in $(seq 1 150); do
    if ! kill -0 "$moto_pid" 2>/dev/null; then
        echo "with-moto: moto_server exited early; see $log" >&2
        cat "$log" >&2 || true
        exit 1
    fi
    if "$venv/bin/python" -c "import urllib.request, sys; urllib.request.urlopen('$endpoint/moto-api/', timeout=1)" >/dev/null 2>&1; then
        ready=1
        break
    fi
    sleep 0.2
done
if [[ -z "$ready" ]]; then
    echo "with-moto: moto_server did not answer on $endpoint within 30 s; see $log" >&2
    exit 1
fi

export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
export AWS_SESSION_TOKEN=testing
export AWS_REGION=us-east-1
export AWS_DEFAULT_REGION=us-east-1
export LAMBDA_SYNC_TEST_REGION="${LAMBDA_SYNC_TEST_REGION:-us-east-1}"
export LAMBDA_SYNC_TEST_ENDPOINT="$endpoint"
# A Python with boto3, for checks that read the emulator with AWS's own SDK.
export LAMBDA_SYNC_TEST_PYTHON="$venv/bin/python"

# moto checks that a function's execution role exists in its IAM: create one with a signed
# CreateRole request to the same server.
role_arn="$("$venv/bin/python" - "$endpoint" <<'PY'
import json, sys
import boto3
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1")
trust = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                   "Action": "sts:AssumeRole"}],
}
role = iam.create_role(RoleName="lambda-sync-test", AssumeRolePolicyDocument=json.dumps(trust))
print(role["Role"]["Arn"])
PY
)"
export LAMBDA_SYNC_TEST_ROLE="$role_arn"
echo "with-moto: moto $MOTO_VERSION on $endpoint (pid $moto_pid), role $role_arn" >&2

status=0
"$@" || status=$?
exit "$status"
