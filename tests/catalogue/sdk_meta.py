#!/usr/bin/env python3
"""The official Python SDKs' facts as openmeta-shaped metadata, for `cargo xtask import`.

A data tool, not a product feature. It reads the installed SDKs (pinned in
tests/sdk/requirements.txt) and writes, per product, a metadata file of the
same layout as Alibaba's published `api-docs.json` (tests/fixtures/openmeta/),
so the one importer (`cargo xtask import`) drafts every SDK operation:

- the wire, from the SDK alone: each client method's action, HTTP method,
  path, style and SSE (`call_sseapi`); where every request member goes
  (query, body, path argument, the whole body), `*_shrink` members sent as
  one JSON string; the models' wire names (`to_map`), types (`__init__`
  annotations) and the comments "This parameter is required.";
- everything else from the newest metadata revision, matched by name:
  summaries, descriptions (English from the SDK comments or the `en_us`
  file, Chinese from `zh_cn` in a twin file for `--prose`), parameter and
  response-field examples, limits and enums, `errorCodes`, `responseDemo`,
  `directories`, `endpoints`, `deprecated`.

Where the SDK and the metadata disagree on a type, the SDK's is kept and the
disagreement recorded under `x-wiregen.disagreements`.

Usage (with the Python that has the pinned SDKs installed):
  sdk_meta.py OPENMETA_DIR OUT_DIR
writes OUT_DIR/{rdsai-3.10.0,aicontent-7.10.0}.json (English and SDK text)
and OUT_DIR/{...}.zh_cn.json (the same shape with the Chinese text), and
OUT_DIR/actions.txt (one `service Action` per line).
"""

import importlib
import importlib.metadata
import inspect
import json
import re
import sys
from pathlib import Path

# (package, service directory, product, metadata revision)
SDKS = [
    ("alibabacloud_rdsai20250507", "rdsai", "RdsAi", "2025-12-13"),
    ("alibabacloud_aicontent20240611", "aicontent", "AiContent", "2025-11-08"),
]

REQUIRED = "This parameter is required."
SCALARS = {
    "str": {"type": "string"},
    "int": {"type": "integer", "format": "int64"},
    "bool": {"type": "boolean"},
    "float": {"type": "number", "format": "double"},
    "bytes": {"type": "string"},
}


def field(text, key):
    m = re.search(r"(?<![\w])" + key + r" = f?'([^']*)'", text)
    return m.group(1) if m else None


def client_methods(client_src):
    """Every synchronous client method that calls the API, as (name, source)."""
    for chunk in re.split(r"\n    (?=(?:async )?def )", client_src):
        m = re.match(r"(async )?def (\w+)\(", chunk)
        if m and not m.group(1) and re.search(r"action = '\w+'", chunk):
            yield m.group(2), chunk


def wire_names(cls):
    """Python attribute -> wire name, from the model's `to_map`."""
    src = inspect.getsource(cls.to_map)
    names = {}
    for attr, wire in re.findall(r"if self\.(\w+) is not None:\s*\n\s*result\['([^']+)'\]", src):
        names.setdefault(attr, wire)
    for wire, attr in re.findall(r"result\['([^']+)'\] = (?:\[\]|\{\})\s*\n\s*if self\.(\w+) is not None", src):
        names.setdefault(attr, wire)
    return names


def comments(cls):
    """Python attribute -> the comment lines above its assignment in `__init__`."""
    out, pending = {}, []
    for line in inspect.getsource(cls.__init__).splitlines():
        s = line.strip()
        if s.startswith("#"):
            pending.append(s[1:].strip())
            continue
        m = re.match(r"self\.(\w+) = ", s)
        if m:
            out[m.group(1)] = pending
        pending = []
    return out


def english(text):
    """The text when it is English: the `en_us` files carry some Chinese, which belongs to the twin."""
    return "" if re.search(r"[\u3000-\u9fff\uff00-\uffef]", text or "") else (text or "")


def prose_of(lines):
    """The English description and whether the member is required."""
    required = any(REQUIRED in l for l in lines)
    text = []
    for l in lines:
        l = l.replace(REQUIRED, "").strip()
        if l and not l.startswith("example:"):
            text.append(l)
    return " ".join(text).strip(), required


class Product:
    def __init__(self, package, service, product, revision, openmeta):
        self.package = package
        self.service = service
        self.models = importlib.import_module(package + ".models")
        self.client_src = inspect.getsource(importlib.import_module(package + ".client"))
        self.sdk_version = importlib.metadata.version(package)
        base = Path(openmeta) / service
        self.revision = revision
        self.meta = {lang: json.loads((base / lang / f"{revision}.json").read_text(encoding="utf-8")) for lang in ("en_us", "zh_cn")}
        self.disagreements = []
        self.flattened = []
        self.recursive = []
        self.resolving = []

    # ---- models -> schemas -------------------------------------------------

    def schema(self, ann, lang, meta, where, depth=0):
        """An annotation as an openmeta schema; `meta` is the matching metadata schema per language."""
        ann = (ann if isinstance(ann, str) else getattr(ann, "__name__", "Any")).strip()
        if ann in SCALARS:
            out = dict(SCALARS[ann])
        elif ann.startswith("List["):
            inner = ann[5:-1]
            out = {"type": "array", "items": self.schema(inner, lang, {k: (v or {}).get("items") for k, v in meta.items()}, where + "[]", depth + 1)}
        elif ann.startswith("Dict["):
            out = {"type": "object"}
        elif ann.startswith("main_models.") and ann.split(".", 1)[1] in self.resolving:
            # A model that contains itself: the spec format has no recursive types.
            out = {"type": "any"}
            if lang == "en_us":
                self.recursive.append(where)
        elif ann.startswith("main_models."):
            self.resolving.append(ann.split(".", 1)[1])
            out = self.model(ann.split(".", 1)[1], lang, meta, where, depth + 1)
            self.resolving.pop()
        else:
            out = {"type": "any"}
        self.merge(out, lang, meta, where)
        return out

    def merge(self, out, lang, meta, where):
        """Takes from the metadata what the SDK does not know: prose, examples, limits, enums."""
        own = meta.get(lang) or {}
        en = meta.get("en_us") or {}
        zh = meta.get("zh_cn") or {}
        ref = zh or en
        mtype = ref.get("type")
        if mtype and out.get("type") and mtype != out["type"] and not (mtype == "object" and out["type"] == "any"):
            if lang == "en_us":
                self.disagreements.append(f"{where}: metadata `{mtype}`, SDK `{out['type']}` (SDK kept)")
        elif out.get("type") in ("string", "integer", "number", "boolean"):
            titles = {k: v for k, v in (own.get("enumValueTitles") or {}).items() if lang != "en_us" or english(v)}
            if titles and "enum" in ref:
                out["enumValueTitles"] = titles
            for key in ("example", "enum", "maximum", "minimum", "maxLength", "format", "deprecated"):
                if key in ref and not (key == "format" and out["type"] != "integer"):
                    out[key] = ref[key]
        if lang == "zh_cn" and own.get("description"):
            out["description"] = own["description"]
        elif lang == "en_us" and not out.get("description") and english(en.get("description")):
            out["description"] = en["description"]

    def model(self, class_name, lang, meta, where, depth):
        cls = getattr(self.models, class_name)
        names = wire_names(cls)
        notes = comments(cls)
        sig = inspect.signature(cls.__init__)
        props = {}
        for attr, p in sig.parameters.items():
            if attr == "self" or attr not in names:
                continue
            wire = names[attr]
            sub = {k: ((v or {}).get("properties") or {}).get(wire) for k, v in meta.items()}
            text, required = prose_of(notes.get(attr, []))
            prop = {"description": text} if lang == "en_us" and text else {}
            prop.update(self.schema(p.annotation, lang, sub, f"{where}.{wire}", depth))
            if lang == "en_us" and text:
                prop["description"] = text
            if required:
                prop["required"] = True
            props[wire] = prop
        return {"type": "object", "properties": props}

    # ---- client methods -> apis --------------------------------------------

    def operations(self):
        ops = {}
        for name, src in client_methods(self.client_src):
            action = field(src, "action")
            op = ops.setdefault(action, {"sse": False})
            if "call_sseapi(" in src:
                op["sse"] = True
            if name.endswith("_with_options") or "src" not in op:
                op["src"] = src
        return ops

    def api(self, action, op, lang):
        src = op["src"]
        meta = {l: self.meta[l]["apis"].get(action) or {} for l in self.meta}
        own = meta[lang]
        method = (field(src, "method") or "POST").lower()
        style = field(src, "style")
        path = re.sub(r"\{DaraURL\.percent_encode\((\w+)\)\}", r"{\1}", field(src, "pathname") or "/")
        sig = re.search(r"def \w+\(\s*self,(.*?)\)\s*->", src, re.S)
        args = [a.strip() for a in sig.group(1).split(",") if a.strip()]
        req_arg = next((a for a in args if "main_models." in a), None)
        req_cls = getattr(self.models, req_arg.split("main_models.")[1].strip()) if req_arg else None
        anns = {n: p.annotation for n, p in inspect.signature(req_cls.__init__).parameters.items()} if req_cls else {}
        notes = comments(req_cls) if req_cls else {}
        shrunk = set(re.findall(r"request\.(\w+)_shrink = Utils\.array_to_string_with_specified_style\(tmp_req\.\w+, '[^']+', 'json'\)", src))
        meta_params = {l: {p.get("name"): p for p in (meta[l].get("parameters") or [])} for l in meta}
        params = []

        def param(wire, location, attr, json_style):
            text, required = prose_of(notes.get(attr, []))
            sub = {l: (meta_params[l].get(wire) or {}).get("schema") for l in meta}
            if location == "body":
                sub = {l: (((meta_params[l].get("body") or {}).get("schema") or {}).get("properties") or {}).get(wire) for l in meta}
            schema = self.schema(anns.get(attr, "str"), lang, sub, f"{action}.{wire}")
            if lang == "en_us" and text:
                schema["description"] = text
            schema["required"] = required or location == "path"
            entry = {"name": wire, "in": location, "schema": schema}
            if json_style:
                entry["style"] = "json"
            elif location == "query" and schema["type"] in ("array", "object"):
                # `Utils.query` flattens it into `Name.1`, `Name.1.Key`...
                entry["style"] = "flat"
                if lang == "en_us":
                    self.flattened.append(f"{action}.{wire}")
            return entry

        for a in args:
            pname = a.split(":")[0].strip()
            if ":" in a and pname not in ("self", "request", "tmp_req", "headers", "runtime"):
                params.append(param(pname, "path", pname, False))
        for wire, attr in re.findall(r"query\['([^']+)'\] = request\.(\w+)", src):
            base = attr[: -len("_shrink")] if attr.endswith("_shrink") else attr
            params.append(param(wire, "query", base, base in shrunk))
        members = re.findall(r"body\['([^']+)'\] = request\.(\w+)", src)
        if members:
            props = {}
            for wire, attr in members:
                base = attr[: -len("_shrink")] if attr.endswith("_shrink") else attr
                p = param(wire, "body", base, False)
                props[wire] = p["schema"]
            params.append({"name": "body", "in": "body", "schema": {"type": "object", "properties": props}})
        if re.search(r"body = (?:Utils\.parse_to_map\()?request\.body\b", src):
            p = param("body", "body", "body", False)
            if p["schema"].get("type") == "object" and p["schema"].get("properties"):
                # The whole body, spelled as one member-less object so the importer keeps it whole.
                p["schema"] = {"$ref": f"#/components/schemas/{action}Body"}
            params.append(p)
        body_type = field(src, "body_type") or "json"
        responses = {}
        body_cls = action + "ResponseBody"
        if body_type == "json" and hasattr(self.models, body_cls):
            meta_resp = {l: ((meta[l].get("responses") or {}).get("200") or {}).get("schema") for l in meta}
            responses["200"] = {"schema": self.model(body_cls, lang, meta_resp, f"{action}.response", 1)}
        elif body_type in ("any", "string"):
            # The SDK hands the body over as it comes (not parsed as a model).
            responses["200"] = {"schema": {"type": "string"}}
        elif body_type in ("binary", "byte"):
            responses["200"] = {"schema": {"type": "string", "format": "binary"}}
        text = (lambda t: english(t)) if lang == "en_us" else (lambda t: t or "")
        out = {
            "summary": text(own.get("summary")),
            "title": text(own.get("title")),
            "description": text(own.get("description")),
            "methods": [method],
            "schemes": ["https", "sse"] if op["sse"] else ["https"],
            "deprecated": bool(meta["zh_cn"].get("deprecated")),
            "parameters": params,
            "responses": responses,
        }
        if style == "ROA":
            out["path"] = path
        for key in ("errorCodes", "responseDemo"):
            if meta["zh_cn"].get(key):
                out[key] = meta[lang].get(key) or meta["zh_cn"][key]
        return out

    def document(self, lang):
        ops = self.operations()
        apis = {action: self.api(action, ops[action], lang) for action in sorted(ops)}
        schemas = {}
        for action, api in apis.items():
            for p in api["parameters"]:
                if p["schema"].get("$ref"):
                    cls = re.search(r"def \w+\(\s*self,.*?main_models\.(\w+)", ops[action]["src"], re.S).group(1)
                    ann = inspect.signature(getattr(self.models, cls).__init__).parameters["body"].annotation
                    schemas[f"{action}Body"] = self.schema(ann, lang, {}, f"{action}.body")
        zh = self.meta["zh_cn"]
        return {
            "version": "1.0",
            "info": dict(zh["info"]),
            "directories": self.meta[lang].get("directories") or zh.get("directories"),
            "components": {"schemas": schemas},
            "apis": apis,
            "endpoints": zh.get("endpoints") or [],
            "x-wiregen": {
                "sdk": f"{self.package} {self.sdk_version}",
                "metadata": f"tests/fixtures/openmeta/{self.service}/{lang}/{self.revision}.json",
                "disagreements": sorted(set(self.disagreements)),
                "flattened": sorted(set(self.flattened)),
                "recursive": sorted(set(self.recursive)),
                "review": review(apis),
            },
        }


def review(apis):
    """The seed docs' defect classes, found mechanically (findings to review, not fixes).

    - shifted: a parameter's description names another parameter of the
      operation and not its own (a description shifted by one row);
    - contradicting: a published example that is not a value of the SDK's type;
    - json_string: parameters sent as one JSON string (`*_shrink`);
    - lenient_samples: response samples whose scalars arrive as another JSON
      type than declared (`"100"` for an integer), which lenient decoding takes.
    """
    out = {"shifted": [], "contradicting": [], "json_string": [], "lenient_samples": []}
    kinds = {"integer": int, "number": (int, float), "boolean": bool, "string": str}
    for action, api in apis.items():
        names = [p["name"] for p in api["parameters"]]
        for p in api["parameters"]:
            text = p["schema"].get("description") or ""
            others = [n for n in names if n != p["name"] and len(n) > 3 and re.search(r"\b" + re.escape(n) + r"\b", text)]
            if others and not re.search(r"\b" + re.escape(p["name"]) + r"\b", text):
                out["shifted"].append(f"{action}.{p['name']}: describes {', '.join(others)}")
            if p.get("style") == "json":
                out["json_string"].append(f"{action}.{p['name']}")
            example, ty = p["schema"].get("example"), p["schema"].get("type")
            if example is not None and ty in ("integer", "number", "boolean"):
                try:
                    value = json.loads(example) if isinstance(example, str) else example
                except ValueError:
                    value = example
                if not isinstance(value, kinds[ty]) or (ty != "boolean" and isinstance(value, bool)):
                    out["contradicting"].append(f"{action}.{p['name']}: {ty} with example {example!r}")
        schema = (api["responses"].get("200") or {}).get("schema")
        for sample in samples(api.get("responseDemo")):
            walk_sample(sample, schema, f"{action}.response", out["lenient_samples"], kinds)
    return out


def samples(demo):
    try:
        items = json.loads(demo) if demo else []
    except ValueError:
        return []
    found = []
    for item in items if isinstance(items, list) else []:
        try:
            found.append(json.loads(item.get("example") or ""))
        except (ValueError, AttributeError):
            pass
    return found[:1]


def walk_sample(value, schema, where, out, kinds):
    if not isinstance(schema, dict):
        return
    ty = schema.get("type")
    if ty == "object" and isinstance(value, dict):
        for key, sub in (schema.get("properties") or {}).items():
            if key in value:
                walk_sample(value[key], sub, f"{where}.{key}", out, kinds)
    elif ty == "array" and isinstance(value, list) and value:
        walk_sample(value[0], schema.get("items"), f"{where}[]", out, kinds)
    elif ty in kinds and value is not None:
        if not isinstance(value, kinds[ty]) or (ty != "boolean" and isinstance(value, bool)):
            out.append(f"{where}: {ty} sent as {json.dumps(value, ensure_ascii=False)[:40]}")


def main():
    openmeta, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    actions, versions = [], []
    for package, service, product, revision in SDKS:
        p = Product(package, service, product, revision, openmeta)
        stem = f"{service}-{p.sdk_version}"
        versions.append(f"{package} {p.sdk_version}")
        for lang, suffix in (("en_us", ""), ("zh_cn", ".zh_cn")):
            doc = p.document(lang)
            (out / f"{stem}{suffix}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        actions += [f"{service} {a}" for a in doc["apis"]]
        x = doc["x-wiregen"]
        print("  review: " + ", ".join(f"{len(v)} {k}" for k, v in x["review"].items()))
        print(f"{package} {p.sdk_version}: {len(doc['apis'])} operations, {sum(1 for a in doc['apis'].values() if 'sse' in a['schemes'])} streaming, "
              f"{len(x['disagreements'])} type disagreements, {len(x['flattened'])} flattened query members")
    header = [
        "# Every action of the pinned official Python SDKs (tests/sdk/requirements.txt), one",
        "# `service Action` per line: " + ", ".join(sorted(versions)) + ".",
        "# Written by tests/catalogue/sdk_meta.py; spec/rdsai and spec/aicontent hold exactly these.",
    ]
    (out / "actions.txt").write_text("\n".join(header + actions) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
