"""Entry point of a measured child process:
`python -m benchmarks.child module:function KWARGS_JSON OUT [PRELOAD_JSON]`.

Imports the target (and the PRELOAD modules, when a measurement wants throughput without library
import time), times only the call, and writes {"seconds", "result"} to OUT as JSON.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    target, kwargs_json, out, *preload = argv
    for module in json.loads(preload[0]) if preload else []:
        importlib.import_module(module)
    module_name, function_name = target.split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    started = time.perf_counter()
    result = function(**json.loads(kwargs_json))
    seconds = time.perf_counter() - started
    Path(out).write_text(json.dumps({"seconds": seconds, "result": result}, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
