#!/usr/bin/env python3
"""Turns every operation of the installed official SDKs into spec drafts.

A test tool, not a product feature: it reads the SDK's own metadata (each
client's `*_with_options` method: action, method, path, style, body types and
which request member goes to the query, the body or the path; the request and
response models: wire names from `to_map`, Python types from `__init__`) and
writes one spec tree per SDK under OUT/spec/, for `catalogue.sh` to run
through `check`, `generate`, `cargo check` and clippy.

Usage: import_sdk.py OUT  (run with the Python that has the SDKs installed:
alibabacloud_rdsai20250507 and alibabacloud_aicontent20240611)

Prints one line of counts per SDK and the request shapes it had to
approximate (flattened `a.1.b` query members), so gaps stay visible.
"""

import importlib
import inspect
import json
import re
import sys
from pathlib import Path

SDKS = [
    # (package, service, crate, protocol, api version, default endpoint, error shapes)
    ("alibabacloud_rdsai20250507", "rdsaicat", "alibaba-rpc", "https://rdsai.aliyuncs.com", ["alibaba"]),
    ("alibabacloud_aicontent20240611", "aicontentcat", "alibaba-roa", "https://aicontent.aliyuncs.com", ["alibaba", "success-envelope"]),
]

ACTION = re.compile(r"action = '(\w+)'")


def field(text, key):
    m = re.search(r"(?<![\w])" + key + r" = f?'([^']*)'", text)
    return m.group(1) if m else None


def methods(client_src):
    """Each synchronous `*with_options` method of the client, by action."""
    found = {}
    for chunk in re.split(r"\n    (?=(?:async )?def )", client_src):
        m = re.match(r"(async )?def (\w+)\(", chunk)
        if not m or m.group(1) or not m.group(2).endswith("with_options"):
            continue
        action = ACTION.search(chunk)
        if action:
            found.setdefault(action.group(1), chunk)
    return found


def wire_names(cls):
    """Python attribute -> wire name, from the model's `to_map`."""
    src = inspect.getsource(cls.to_map)
    names = {}
    for attr, wire in re.findall(r"if self\.(\w+) is not None:\s*\n\s*result\['([^']+)'\]", src):
        names.setdefault(attr, wire)
    for wire, attr in re.findall(r"result\['([^']+)'\] = (?:\[\]|\{\})\s*\n\s*if self\.(\w+) is not None", src):
        names.setdefault(attr, wire)
    return names


def annotations(cls):
    sig = inspect.signature(cls.__init__)
    return {n: p.annotation for n, p in sig.parameters.items() if n != "self"}


class Service:
    def __init__(self, package, name):
        self.models = importlib.import_module(package + ".models")
        self.name = name
        self.types = {}  # spec type name -> fields
        self.approximated = []

    def type_expr(self, ann):
        """A Python annotation (a string under `from __future__ import annotations`) as a spec type."""
        ann = ann if isinstance(ann, str) else getattr(ann, "__name__", "Any")
        ann = ann.strip()
        simple = {"str": "string", "int": "int64", "bool": "bool", "float": "float64", "Any": "json", "bytes": "string"}
        if ann in simple:
            return simple[ann]
        m = re.fullmatch(r"List\[(.*)\]", ann)
        if m:
            return f"list<{self.type_expr(m.group(1))}>"
        m = re.fullmatch(r"Dict\[str,\s*(.*)\]", ann)
        if m:
            return f"map<{self.type_expr(m.group(1))}>"
        m = re.fullmatch(r"main_models\.(\w+)", ann)
        if m:
            return self.declare(m.group(1))
        return "json"

    def declare(self, class_name):
        if class_name not in self.types:
            self.types[class_name] = None  # recursion guard
            cls = getattr(self.models, class_name)
            names = wire_names(cls)
            fields = []
            for attr, ann in annotations(cls).items():
                if attr in names:
                    fields.append({"name": names[attr], "type": self.type_expr(ann)})
            self.types[class_name] = fields
        return class_name

    def operation(self, action, src, style):
        method = field(src, "method") or "POST"
        path = field(src, "pathname") or "/"
        body_type = field(src, "body_type") or "json"
        sig = re.search(r"def \w+\(\s*self,(.*?)\)\s*->\s*main_models\.(\w+):", src, re.S)
        args = [a.strip() for a in sig.group(1).split(",") if a.strip()]
        request_arg = next((a for a in args if "main_models." in a), None)
        request_cls = None
        if request_arg:
            request_cls = getattr(self.models, request_arg.split("main_models.")[1].strip())
        request_ann = annotations(request_cls) if request_cls else {}
        request_wire = wire_names(request_cls) if request_cls else {}
        params = []
        # Path parameters: the method's own arguments, `{name}` in the path template.
        path = re.sub(r"\{DaraURL\.percent_encode\((\w+)\)\}", r"{\1}", path)
        for a in args:
            name = a.split(":")[0].strip()
            if name not in ("request", "tmp_req", "headers", "runtime") and ":" in a and "main_models" not in a:
                params.append({"name": name, "in": "path", "type": "string", "required": True})
        for location, attr_wire in (("query", r"query\['([^']+)'\] = request\.(\w+)"), ("body", r"body\['([^']+)'\] = request\.(\w+)")):
            for wire, attr in re.findall(attr_wire, src):
                shrink = attr.endswith("_shrink")
                base = attr[: -len("_shrink")] if shrink else attr
                ty = self.type_expr(request_ann.get(base, "str"))
                param = {"name": wire, "in": location, "type": ty}
                structured = not re.fullmatch(r"string|int64|bool|float64", ty)
                if style == "alibaba-rpc" and location == "body":
                    # RPC form bodies are not expressible: sent in the query instead.
                    param["in"] = "query"
                    self.approximated.append(f"{action}.{wire}: RPC form body sent as query")
                if structured and param["in"] == "query":
                    param["style"] = "json-string"
                    if not shrink:
                        self.approximated.append(f"{action}.{wire}: flattened query ({ty}) sent as JSON")
                params.append(param)
        if re.search(r"body = request\.body\b", src):
            ty = self.type_expr(request_ann.get("body", "Any"))
            params.append({"name": "body", "in": "whole-body", "type": ty})
        if method == "GET":
            for p in params:
                if p["in"] in ("body", "whole-body"):
                    p["in"] = "query"
                    p.setdefault("style", "json-string") if not re.fullmatch(r"string|int64|bool|float64", p["type"]) else None
                    self.approximated.append(f"{action}.{p['name']}: GET body sent as query")
        if body_type in ("any", "string"):
            response = "text"
        elif body_type in ("binary", "byte"):
            response = "bytes"
        else:
            body_cls = action + "ResponseBody"
            response = self.declare(body_cls) if hasattr(self.models, body_cls) else "json"
        spec = {
            "operation": action,
            "summary": f"{action} (draft imported from the SDK).",
            "idempotent": method == "GET",
            "params": params,
            "response": response,
        }
        if style != "alibaba-rpc":
            spec["http"] = {"method": method, "path": path}
        return spec


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main():
    out = Path(sys.argv[1])
    total = 0
    for package, name, protocol, endpoint, shapes in SDKS:
        client_src = inspect.getsource(importlib.import_module(package + ".client"))
        version = re.search(r"version = '([^']+)'", client_src).group(1)
        svc = Service(package, name)
        ops = methods(client_src)
        root = out / "spec" / name
        for action, src in sorted(ops.items()):
            spec = svc.operation(action, src, protocol)
            # JSON is valid YAML, and needs no YAML library here.
            write(root / "operations" / f"{action}.yaml", json.dumps(spec, ensure_ascii=False, indent=1) + "\n")
        service = {
            "service": name,
            "title": f"{package} (catalogue draft)",
            "crate": {"name": name, "version": "0.1.0"},
            "protocol": protocol,
            "api_version": version,
            "endpoints": {"default": endpoint},
            "auth": {"kind": "acs3-hmac-sha256"},
            "errors": {"shapes": shapes},
            "types": {n: {"fields": f} for n, f in sorted(svc.types.items())},
        }
        write(root / "service.yaml", json.dumps(service, ensure_ascii=False, indent=1) + "\n")
        total += len(ops)
        print(f"{package}: {len(ops)} operations, {len(svc.types)} types, {len(svc.approximated)} approximated members")
        for line in svc.approximated:
            print(f"  approximated: {line}")
    print(f"total: {total} operations")


if __name__ == "__main__":
    main()
