"""Entry point of a measured child process:
`python -m benchmarks.child module:function KWARGS_JSON OUT [PRELOAD_JSON]`.

Imports the target (and the PRELOAD modules, when a measurement wants throughput without library
import time), times only the call, and writes {"seconds", "result"} to OUT as JSON.
"""

from __future__ import annotations

import importlib
import json
import resource
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
    payload = {"seconds": seconds, "result": result, "peak_rss_bytes": peak_rss_bytes()}
    Path(out).write_text(json.dumps(payload, default=str))
    return 0


def peak_rss_bytes() -> int:
    """This process's peak resident memory (VmHWM), or that of the largest child it waited for.

    Not `ru_maxrss` of self: on Linux the kernel folds the *parent's* high-water mark into it at exec
    (vfork + exec), so a large harness process would show up as every child's peak.
    """
    own = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            own = int(line.split()[1]) * 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return max(own, children)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
