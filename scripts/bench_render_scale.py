#!/usr/bin/env python3
"""Scales an OpenAPI definition for scripts/bench-render.sh: the first paths with the reusable
entries they use, as many as fit in FACTOR times the size (a half-size document), or the definition and renamed copies of itself side by side (a double-size
document). Copy i gets path prefix `/copy{i}`, operationIds and reusable entries with the suffix
`Copy{i}`, and its local `$ref`s rewritten to its own entries, so every copy is a complete API.

    bench_render_scale.py IN.json OUT.json FACTOR      # FACTOR: 0.5, 1, 2, 3, ...
"""
import json
import sys

KINDS_V3 = ("schemas", "parameters", "responses", "requestBodies", "headers", "examples",
            "links", "callbacks", "securitySchemes")
KINDS_V2 = ("definitions", "parameters", "responses")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def containers(doc):
    if "openapi" in doc:
        comps = doc.get("components", {})
        return [(f"#/components/{k}/", comps[k]) for k in KINDS_V3 if k in comps and k != "securitySchemes"]
    return [(f"#/{k}/", doc[k]) for k in KINDS_V2 if k in doc]


def renamed(doc, i):
    """A copy of `doc` whose paths, operationIds and reusable entries are its own."""
    suffix = f"Copy{i}"
    prefixes = [p for p, _ in containers(doc)]

    def walk(v):
        stack = [v]
        while stack:
            x = stack.pop()
            if isinstance(x, dict):
                r = x.get("$ref")
                if isinstance(r, str):
                    for p in prefixes:
                        if r.startswith(p):
                            rest = r[len(p):]
                            name, sep, tail = rest.partition("/")
                            x["$ref"] = p + name + suffix + sep + tail
                            break
                stack.extend(x.values())
            elif isinstance(x, list):
                stack.extend(x)

    copy = json.loads(json.dumps(doc))
    walk(copy)
    paths = {}
    for path, item in copy.get("paths", {}).items():
        if isinstance(item, dict):
            for m in METHODS:
                op = item.get(m)
                if isinstance(op, dict) and isinstance(op.get("operationId"), str):
                    op["operationId"] += suffix
        paths[f"/copy{i}{path}"] = item
    copy["paths"] = paths
    for _, c in containers(copy):
        for name in list(c.keys()):
            c[name + suffix] = c.pop(name)
    return copy


def prune(doc):
    """Drops the reusable entries that nothing left refers to (directly or through others)."""
    cs = containers(doc)
    taken = {p: dict(c) for p, c in cs}
    for _, c in cs:
        c.clear()
    reached, queue = set(), []

    def refs(v):
        stack = [v]
        while stack:
            x = stack.pop()
            if isinstance(x, dict):
                r = x.get("$ref")
                if isinstance(r, str):
                    for p in taken:
                        if r.startswith(p):
                            queue.append((p, r[len(p):].split("/")[0]))
                stack.extend(x.values())
            elif isinstance(x, list):
                stack.extend(x)

    refs(doc)
    while queue:
        t = queue.pop()
        if t in reached or t[1] not in taken[t[0]]:
            continue
        reached.add(t)
        refs(taken[t[0]][t[1]])
    for (p, c) in cs:
        for name, v in taken[p].items():
            if (p, name) in reached:
                c[name] = v


def main():
    src, out, factor = sys.argv[1], sys.argv[2], float(sys.argv[3])
    with open(src, encoding="utf-8") as f:
        doc = json.load(f)
    if factor < 1:
        target = factor * len(json.dumps(doc, indent=2, ensure_ascii=False))
        paths = doc.get("paths", {})
        keys = list(paths.keys())
        n = len(keys)
        while True:
            part = json.loads(json.dumps(doc))
            part["paths"] = {k: paths[k] for k in keys[:n]}
            # Webhooks are not pushed; kept, GitHub's alone (and the models they use) outweigh
            # half the file, which left a half-size document of one path.
            part.pop("webhooks", None)
            part.pop("x-webhooks", None)
            prune(part)
            size = len(json.dumps(part, indent=2, ensure_ascii=False))
            if n <= 1 or size <= target:
                break
            n = min(n - 1, int(n * max(0.5, target / size)))
        doc = part
    else:
        for i in range(1, int(factor)):
            c = renamed(doc, i)
            doc["paths"].update(c["paths"])
            for (_, mine), (_, theirs) in zip(containers(doc), containers(c)):
                mine.update(theirs)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    main()
