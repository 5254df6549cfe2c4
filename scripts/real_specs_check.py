#!/usr/bin/env python3
"""Checks one real definition end to end (called by scripts/real-specs.sh).

In --dir (which holds the definition and, where needed, lambda-sync.toml):
  1. `lambda-sync push SPEC --format json` on a fresh local account exits 0 (run under
     /usr/bin/time -v: time.log);
  2. `lambda-sync render SPEC -o body.json` writes the body a push sends: at most 6 MB of compact
     JSON, with valid path segments, one name per path variable position and query/header names
     API Gateway accepts;
  3. every function's code becomes an echo handler, `lambda-sync serve --port 0` runs the API,
     and each operation called answers its success status (200, or the definition's first 2xx
     response, as the non-proxy integration maps it) with an event that carries every original
     path parameter name with its value (repaired names and split segments included; a 204
     has no body to check). Operations the
     push reported as not pushed (a warning at their pointer) are skipped and counted.
Prints a summary; exits 1 on the first kind of failure found (with the details).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

MAX_BODY = 6 * 1024 * 1024
METHODS = ["get", "put", "post", "delete", "options", "head", "patch"]
SEGMENT = re.compile(r"^[A-Za-z0-9._:,-]+$")
VARIABLE = re.compile(r"^\{[A-Za-z0-9._:-]+\+?\}$")
PARAM_NAME = re.compile(r"^[A-Za-z0-9._$-]+$")
PLACEHOLDER = re.compile(r"\{([^}/]+)\}")


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def escape(token):
    return token.replace("~", "~0").replace("/", "~1")


def load(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8-sig")
    if path.endswith((".yaml", ".yml")):
        import yaml  # PyYAML; only the YAML definitions need it

        return yaml.safe_load(text)
    return json.loads(text)


def check_body(body_path):
    size = os.path.getsize(body_path)
    if size > MAX_BODY:
        fail(f"the body is {size} bytes, over 6 MB")
    with open(body_path, "rb") as f:
        raw = f.read()
    body = json.loads(raw)
    if json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode() != raw:
        print("note: body.json is not byte-identical to Python's compact JSON (key escaping)")
    problems = []
    variable_at = {}
    operations = 0
    for path, item in (body.get("paths") or {}).items():
        if path.startswith("x-"):
            continue
        segments = [s for s in path.split("/")]
        if path != "/" and (segments[0] != "" or any(s == "" for s in segments[1:])):
            problems.append(f"empty segment or trailing slash in {path}")
        parent = ""
        for seg in segments[1:]:
            if not seg:
                continue
            if "{" in seg or "}" in seg:
                if not VARIABLE.match(seg):
                    problems.append(f"invalid segment {seg!r} in {path}")
                else:
                    name = seg.strip("{}").rstrip("+")
                    seen = variable_at.setdefault(parent, name)
                    if seen != name:
                        problems.append(
                            f"two names for one path variable under {parent or '/'}: {{{seen}}} and {{{name}}}"
                        )
            elif not SEGMENT.match(seg):
                problems.append(f"invalid segment {seg!r} in {path}")
            parent += "/" + seg
        if not isinstance(item, dict):
            continue
        shared = item.get("parameters") or []
        for method, op in item.items():
            if method not in METHODS + ["x-amazon-apigateway-any-method"] or not isinstance(op, dict):
                continue
            operations += 1
            for p in shared + (op.get("parameters") or []):
                if "$ref" in p:
                    ref = p["$ref"].lstrip("#/").split("/")
                    target = body
                    for t in ref:
                        t = t.replace("~1", "/").replace("~0", "~")
                        if isinstance(target, list):
                            target = target[int(t)] if t.isdigit() and int(t) < len(target) else {}
                        else:
                            target = target.get(t, {})
                    p = target
                if p.get("in") in ("query", "header") and not PARAM_NAME.match(p.get("name", "")):
                    problems.append(f"{p.get('in')} parameter name {p.get('name')!r} in {method.upper()} {path}")
    if problems:
        fail(f"{len(problems)} problem(s) left in the body, e.g.: " + "; ".join(problems[:8]))
    return size, operations, len([p for p in body.get("paths", {}) if not p.startswith("x-")])


def echo_functions(functions_dir):
    """Every handler file under the code folders (functions/REGION/ACCOUNT/NAME, at any depth)
    becomes one that answers the event it receives; returns how many were replaced."""
    count = 0
    for root, dirs, files in os.walk(functions_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if f.endswith(".mjs"):
                code = "export const handler = async (event) => event;\n"
            elif f.endswith(".js"):
                code = "exports.handler = async (event) => event;\n"
            elif f.endswith(".py"):
                code = "def lambda_handler(event, context):\n    return event\n"
            else:
                continue
            with open(os.path.join(root, f), "w") as out:
                out.write(code)
            count += 1
    return count


def success_status(op):
    """The status a non-proxy integration answers: the operation's first 2xx response (200
    when it has none)."""
    codes = sorted(str(c) for c in (op.get("responses") or {}) if str(c)[:1] == "2" and str(c).isdigit())
    return int(codes[0]) if codes else 200


def operations_of(spec):
    """(method, path, pointer, [path parameter names], expected status) of every operation, in
    document order."""
    out = []
    for path, item in (spec.get("paths") or {}).items():
        if path.startswith("x-") or not isinstance(item, dict):
            continue
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                names = PLACEHOLDER.findall(path)
                out.append((method, path, f"/paths/{escape(path)}/{method}", names, success_status(op)))
    return out


def repaired(spec_ops):
    """Operations whose path needed a repair: a `#fragment` or query string, a segment mixing
    text and variables, a trailing slash, or a variable whose sibling positions carry other
    names."""
    names_at = {}
    for _, path, _, _, _ in spec_ops:
        parent = ""
        for seg in path.split("/")[1:]:
            if seg.startswith("{") and seg.endswith("}") and seg.count("{") == 1:
                names_at.setdefault(parent, set()).add(seg)
            parent += "/" + re.sub(r"\{[^}]*\}", "{}", seg)
    out = set()
    for op in spec_ops:
        _, path, pointer, _, _ = op
        if "#" in path or "?" in path:
            out.add(pointer)
        parent = ""
        for seg in path.split("/")[1:]:
            mixed = "{" in seg and not (seg.startswith("{") and seg.endswith("}") and seg.count("{") == 1)
            if mixed or seg == "" or len(names_at.get(parent, ())) > 1 or pushed_literal(seg) != seg:
                out.add(pointer)
            parent += "/" + re.sub(r"\{[^}]*\}", "{}", seg)
    return out


def sample(ops, must, n):
    if len(ops) <= n:
        return ops
    chosen = [op for op in ops if op[2] in must][: n // 2]
    rest = [op for op in ops if op[2] not in must]
    step = max(1, len(rest) // max(1, n - len(chosen)))
    chosen += rest[::step][: n - len(chosen)]
    return chosen


def find_value(event, name, value):
    """Whether the event carries `name: value` at its top level or one level down."""
    if not isinstance(event, dict):
        return False
    if event.get(name) == value:
        return True
    return any(isinstance(v, dict) and v.get(name) == value for v in event.values())


def pushed_literal(seg):
    """A literal segment as compat's `literal-segment` repair pushes it: without the characters
    API Gateway refuses (`$count` -> `count`), `x` and the hex of its bytes when none is left."""
    if "{" in seg or re.fullmatch(r"[A-Za-z0-9._:,-]*", seg):
        return seg
    kept = "".join(c for c in seg if re.fullmatch(r"[A-Za-z0-9._:,-]", c))
    return kept or "x" + seg.encode().hex()


def call_all(base, ops, skipped_pointers):
    answered, skipped, no_body, failures = 0, 0, 0, []
    for i, (method, path, pointer, names, expected) in enumerate(ops):
        if pointer in skipped_pointers:
            skipped += 1
            continue
        values = {}
        url_path = path.split("#")[0].split("?")[0].rstrip("/") or "/"
        url_path = "/".join(pushed_literal(seg) for seg in url_path.split("/"))
        for k, name in enumerate(names):
            values[name] = f"v{i}x{k}"
        url_path = PLACEHOLDER.sub(lambda m: values[m.group(1)], url_path)
        data = b"{}" if method in ("post", "put", "patch") else None
        req = urllib.request.Request(base + url_path, data=data, method=method.upper())
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                status, text = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read()
        if status != expected:
            failures.append(f"{method.upper()} {path} -> {status} (expected {expected}) {text[:200]!r}")
            continue
        if method == "head" or status == 204:
            answered += 1
            no_body += 1
            continue
        try:
            event = json.loads(text)
        except ValueError:
            failures.append(f"{method.upper()} {path}: the answer is not JSON: {text[:200]!r}")
            continue
        missing = [n for n in names if not find_value(event, n, values[n])]
        if missing:
            failures.append(
                f"{method.upper()} {path}: the event lacks {missing} (event keys: {sorted(event)[:12]})"
            )
            continue
        answered += 1
    return answered, skipped, no_body, failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--spec", required=True)
    ap.add_argument("--max-calls", type=int, default=400)
    args = ap.parse_args()
    os.chdir(args.dir)
    shutil.rmtree(".lambda-sync", ignore_errors=True)

    started = time.monotonic()
    push = subprocess.run(
        ["/usr/bin/time", "-v", "-o", "time.log", args.bin, "push", args.spec, "--format", "json"],
        capture_output=True,
    )
    with open("push.json", "wb") as f:
        f.write(push.stdout)
    if push.returncode != 0:
        fail(
            f"push exited {push.returncode}:\n{push.stdout.decode()[-3000:]}\n{push.stderr.decode()[-3000:]}"
        )
    report = json.loads(push.stdout)
    print(f"push: exit 0 in {time.monotonic() - started:.1f} s, {len(report.get('functions_created', []))} function(s) created")
    warnings = report.get("warnings", []) or []
    text = "\n".join(w if isinstance(w, str) else json.dumps(w) for w in warnings)

    render = subprocess.run([args.bin, "render", args.spec, "-o", "body.json"], capture_output=True)
    if render.returncode != 0:
        fail(f"render exited {render.returncode}: {render.stderr.decode()[-2000:]}")
    size, body_ops, body_paths = check_body("body.json")
    print(f"body: {size} bytes, {body_paths} paths, {body_ops} operations; no invalid segment, variable conflict or parameter name")

    spec = load(args.spec)
    ops = operations_of(spec)
    # An operation compat leaves out is named first in its indistinguishable-operation warning.
    left_out = set(re.findall(r"indistinguishable-operation: API Gateway cannot tell (\w+) `([^`]+)`", text))
    skipped_pointers = {op[2] for op in ops if (op[0].upper(), op[1]) in left_out}
    echoed = echo_functions(".lambda-sync/functions")
    chosen = sample(ops, repaired(ops), args.max_calls)

    serve = subprocess.Popen(
        [args.bin, "serve", args.spec, "--port", "0", "--timeout", "30"],
        stdout=subprocess.PIPE,
        stderr=open("serve.log", "wb"),
        start_new_session=True,
    )
    try:
        line = serve.stdout.readline().decode()
        m = re.search(r"on (http://\S+)", line)
        if not m:
            fail(f"serve did not start: {line!r}; see serve.log")
        answered, skipped, no_body, failures = call_all(m.group(1), chosen, skipped_pointers)
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
    print(
        f"calls: {answered} of {len(chosen)} operations called answered their success status (200, or the "
        f"definition's first 2xx), {answered - no_body} with an event carrying every path parameter and {no_body} "
        f"without a body (204/HEAD) ({len(ops)} in the definition, {len(repaired(ops))} with a repaired path, {skipped} reported as not pushed, "
        f"{echoed} echo handlers)"
    )
    if failures:
        fail(f"{len(failures)} call(s) failed, e.g.:\n  " + "\n  ".join(failures[:10]))
    print("OK")


if __name__ == "__main__":
    main()
