#!/usr/bin/env python3
"""Drives the official SDKs for the wire test (tests/tests/it/sdk_wire.rs).

Usage: drive.py CASES.json  (run with the Python that has tests/sdk/requirements.txt)

CASES.json holds the endpoint (a capture server on 127.0.0.1), the test credentials and
one case per example of every operation: the SDK package, the operation's wire name,
whether it streams, and the example's request values by wire name. The driver works in
lockstep with the test: it reads a case number from stdin, makes that call with the
SDK's `*_with_options` (or `*_with_sse`) method, and prints one JSON line
`{"case": N, "ok": bool, "error": "..."}`, so the test knows which captured request
belongs to which case and can answer each with that case's response.
"""

import importlib
import inspect
import json
import re
import sys

from alibabacloud_tea_openapi import utils_models as open_api_models
from darabonba.runtime import RuntimeOptions

# The SDK's own per-call time limits (milliseconds): a hung call must end, not hang CI.
TIMEOUT_MS = 10_000


def snake(name):
    """`InstanceId` -> `instance_id`, as the SDKs name method arguments."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def request_model(model, values):
    """The request model with `values` (wire names), as a caller sets only those members.

    `from_map` starts every list and map member as empty, and the SDK sends an empty list
    (`Files=[]`); a caller who builds the model with only some members leaves the others
    unset, so those the example does not give are unset again.
    """
    request = model().from_map(values)
    given = {snake(k) for k in values}
    for attr, value in vars(request).items():
        if value in ([], {}) and attr not in given:
            setattr(request, attr, None)
    return request


class Sdk:
    """One SDK package: its client, models and the method of each action."""

    def __init__(self, package, config):
        client_module = importlib.import_module(package + ".client")
        self.models = importlib.import_module(package + ".models")
        self.client = client_module.Client(config)
        self.methods = {}  # (action, streaming) -> method name
        for name, function in inspect.getmembers(client_module.Client, inspect.isfunction):
            # Not always `_with_options`: `DescribeInstanceSSL` is `describe_instance_sslwith_options`.
            streaming = name.endswith("with_sse")
            if not (name.endswith("with_options") or streaming):
                continue
            if inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function):
                continue
            action = re.search(r"action = '([^']+)'", inspect.getsource(function))
            if action:
                self.methods[(action.group(1), streaming)] = name

    def call(self, case):
        name = self.methods.get((case["operation"], case["streaming"]))
        if name is None:
            raise LookupError(f"the SDK has no method for {case['operation']}")
        method = getattr(self.client, name)
        values = case["request"]
        args = []
        for param in inspect.signature(method).parameters.values():
            if param.name in ("request", "tmp_req"):
                model = getattr(self.models, str(param.annotation).split(".")[-1])
                args.append(request_model(model, values))
            elif param.name == "headers":
                args.append({})
            elif param.name == "runtime":
                args.append(RuntimeOptions(autoretry=False, max_attempts=1,
                                           read_timeout=TIMEOUT_MS, connect_timeout=TIMEOUT_MS))
            else:
                # A ROA path parameter: the method's own argument, named after its wire name.
                wire = [k for k in values if snake(k) == param.name or k == param.name]
                args.append(values[wire[0]] if wire else None)
        answer = method(*args)
        if case["streaming"]:
            for _ in answer:
                pass


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    config = open_api_models.Config(
        access_key_id=plan["access_key_id"],
        access_key_secret=plan["access_key_secret"],
        endpoint=plan["endpoint"],
        protocol="http",
        region_id="cn-hangzhou",
        read_timeout=TIMEOUT_MS,
        connect_timeout=TIMEOUT_MS,
    )
    sdks = {}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        number = int(line)
        case = plan["cases"][number]
        result = {"case": number, "ok": True, "error": None}
        try:
            package = case["package"]
            if package not in sdks:
                sdks[package] = Sdk(package, config)
            sdks[package].call(case)
        except Exception as e:  # every failure is reported, the driver moves on
            result["ok"] = False
            result["error"] = f"{type(e).__name__}: {e}"
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
