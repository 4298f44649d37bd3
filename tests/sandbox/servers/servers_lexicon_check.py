"""A small AT Protocol lexicon checker for the contract tests.

Checks a JSON value against a lexicon definition from shared/contracts/bluesky: object `required`
and property types, string formats used by the feed views (datetime, at-uri, did, handle, cid,
language, uri), `maxLength`/`maxGraphemes`, integer bounds, arrays, refs (local `#def` and
`nsid#def`), unions and `unknown` records carrying `$type` (checked against that record lexicon when
it is among the contracts). Refs to lexicons not in the contracts (labels, embeds) are not descended
into; the report says so. Unknown object properties are reported too, so a field the lexicons do
not define (schema drift) is caught.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from seamline_core.paths import shared_dir

CONTRACTS = shared_dir() / "contracts" / "bluesky"
_FORMATS = {
    "datetime": re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$"),
    "at-uri": re.compile(r"^at://[^/\s]+(/[a-zA-Z0-9.\-]+(/[A-Za-z0-9._~:@!$&')(*+,;=-]+)?)?$"),
    "did": re.compile(r"^did:[a-z]+:[a-zA-Z0-9._:%-]+$"),
    "handle": re.compile(
        r"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$"
    ),
    "cid": re.compile(r"^[a-zA-Z0-9+=]{8,256}$"),
    "language": re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*$"),
    "uri": re.compile(r"^[a-z][a-z0-9+.-]*:\S+$"),
    "at-identifier": re.compile(r"^(did:[a-z]+:\S+|[a-zA-Z0-9.-]+)$"),
}


def load_lexicons(directory: Path = CONTRACTS) -> dict[str, dict[str, Any]]:
    lexicons = {}
    for path in directory.glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        lexicons[document["id"]] = document
    return lexicons


class LexiconChecker:
    def __init__(self, lexicons: dict[str, dict[str, Any]] | None = None) -> None:
        self.lexicons = lexicons or load_lexicons()

    def check(self, value: Any, ref: str) -> list[str]:
        """Problems found checking `value` against `ref` (`nsid#def`, or `nsid` for `main`)."""
        problems: list[str] = []
        nsid, _, name = ref.partition("#")
        self._check_def(value, nsid, name or "main", "$", problems)
        return problems

    def output_problems(self, body: Any, method_nsid: str) -> list[str]:
        """Problems of a query's response body against the method's output schema."""
        schema = self.lexicons[method_nsid]["defs"]["main"]["output"]["schema"]
        problems: list[str] = []
        self._check(body, schema, method_nsid, "$", problems)
        return problems

    def _definition(self, nsid: str, name: str) -> dict[str, Any] | None:
        document = self.lexicons.get(nsid)
        return None if document is None else document["defs"].get(name)

    def _check_def(self, value: Any, nsid: str, name: str, path: str, problems: list[str]) -> None:
        definition = self._definition(nsid, name)
        if definition is None:
            return  # a lexicon outside the contracts: not descended into
        if definition.get("type") == "record":
            definition = definition["record"]
        self._check(value, definition, nsid, path, problems)

    def _resolve(self, ref: str, nsid: str) -> tuple[str, str]:
        target, _, name = ref.partition("#")
        return (target or nsid), (name or "main")

    def _check(self, value: Any, schema: dict[str, Any], nsid: str, path: str, problems: list[str]) -> None:
        kind = schema.get("type")
        if kind == "ref":
            target, name = self._resolve(schema["ref"], nsid)
            self._check_def(value, target, name, path, problems)
        elif kind == "object":
            self._check_object(value, schema, nsid, path, problems)
        elif kind == "string":
            self._check_string(value, schema, path, problems)
        elif kind == "integer":
            if not isinstance(value, int) or isinstance(value, bool):
                problems.append(f"{path}: expected integer, got {type(value).__name__}")
            elif ("minimum" in schema and value < schema["minimum"]) or (
                "maximum" in schema and value > schema["maximum"]
            ):
                problems.append(f"{path}: {value} out of range")
        elif kind == "boolean":
            if not isinstance(value, bool):
                problems.append(f"{path}: expected boolean, got {type(value).__name__}")
        elif kind == "array":
            if not isinstance(value, list):
                problems.append(f"{path}: expected array, got {type(value).__name__}")
                return
            if "maxLength" in schema and len(value) > schema["maxLength"]:
                problems.append(f"{path}: array longer than {schema['maxLength']}")
            for position, item in enumerate(value):
                self._check(item, schema["items"], nsid, f"{path}[{position}]", problems)
        elif kind == "union":
            self._check_union(value, schema, nsid, path, problems)
        elif kind == "unknown":
            if not isinstance(value, dict):
                problems.append(f"{path}: expected an object, got {type(value).__name__}")
            elif "$type" in value and value["$type"] in self.lexicons:
                self._check_def(value, value["$type"], "main", path, problems)

    def _check_object(
        self, value: Any, schema: dict[str, Any], nsid: str, path: str, problems: list[str]
    ) -> None:
        if not isinstance(value, dict):
            problems.append(f"{path}: expected object, got {type(value).__name__}")
            return
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{path}.{name}: required property missing")
        for name, item in value.items():
            if name == "$type":
                continue
            if name not in properties:
                problems.append(f"{path}.{name}: not defined by the lexicon")
                continue
            if item is None and name not in schema.get("nullable", []):
                problems.append(f"{path}.{name}: null is not allowed")
                continue
            self._check(item, properties[name], nsid, f"{path}.{name}", problems)

    def _check_string(self, value: Any, schema: dict[str, Any], path: str, problems: list[str]) -> None:
        if not isinstance(value, str):
            problems.append(f"{path}: expected string, got {type(value).__name__}")
            return
        if "maxLength" in schema and len(value.encode("utf-8", "surrogatepass")) > schema["maxLength"]:
            problems.append(f"{path}: longer than {schema['maxLength']} bytes")
        if "maxGraphemes" in schema and len(value) > schema["maxGraphemes"]:
            problems.append(f"{path}: more than {schema['maxGraphemes']} graphemes")
        pattern = _FORMATS.get(schema.get("format", ""))
        if pattern is not None and not pattern.match(value):
            problems.append(f"{path}: {value[:60]!r} is not a valid {schema['format']}")

    def _check_union(
        self, value: Any, schema: dict[str, Any], nsid: str, path: str, problems: list[str]
    ) -> None:
        if not isinstance(value, dict) or "$type" not in value:
            problems.append(f"{path}: union member without $type")
            return
        refs = {"#".join(self._resolve(ref, nsid)).removesuffix("#main") for ref in schema["refs"]}
        member = value["$type"]
        if schema.get("closed") and member not in refs:
            problems.append(f"{path}: $type {member} not among {sorted(refs)}")
        if member in refs:
            target, name = self._resolve(member, nsid)
            self._check_def(value, target, name, path, problems)
