"""Shape checkers for the vendor contracts in shared/contracts: Square OpenAPI schemas, Bluesky lexicons.

JSON Schema checks types and enums; on top, `unknown_keys` walks the schema and reports every key a
record carries that the vendor's schema does not declare, so misspelt fields cannot slip through.
"""

import json
from functools import cache

import jsonschema

from seamline_core.paths import shared_dir

CONTRACTS = shared_dir() / "contracts"


@cache
def square_spec() -> dict:
    return json.loads((CONTRACTS / "square" / "api.json").read_text())


def square_errors(record: dict, schema_name: str) -> list[str]:
    spec = square_spec()
    root = {"$ref": f"#/components/schemas/{schema_name}", "components": spec["components"]}
    validator = jsonschema.Draft7Validator(root)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(record)]
    return errors + unknown_keys(record, spec["components"]["schemas"][schema_name], spec, "")


def _resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def unknown_keys(value: object, schema: dict, spec: dict, path: str) -> list[str]:
    schema = _resolve(schema, spec)
    problems = []
    if isinstance(value, dict) and "properties" in schema:
        for key, item in value.items():
            if key not in schema["properties"]:
                problems.append(f"{path}.{key}: not in the vendor schema")
            else:
                problems += unknown_keys(item, schema["properties"][key], spec, f"{path}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problems += unknown_keys(item, schema["items"], spec, f"{path}[{i}]")
    return problems


@cache
def lexicons() -> dict[str, dict]:
    found = {}
    for path in sorted((CONTRACTS / "bluesky").glob("*.json")):
        document = json.loads(path.read_text())
        for name, definition in document["defs"].items():
            found[f"{document['id']}#{name}"] = definition
    return found


def lexicon_errors(value: object, ref: str, path: str = "") -> list[str]:
    """Check `value` against a lexicon definition: required keys, declared keys, primitive types."""
    definition = lexicons().get(ref)
    if definition is None:
        return []  # a union member whose lexicon is not in shared/contracts
    if definition.get("type") == "record":
        definition = definition["record"]
    errors = []
    if not isinstance(value, dict):
        return [f"{path}: expected an object for {ref}"]
    for key in definition.get("required", []):
        if key not in value:
            errors.append(f"{path}.{key}: required by {ref}")
    for key, item in value.items():
        if key == "$type":
            continue
        spec = definition.get("properties", {}).get(key)
        if spec is None:
            errors.append(f"{path}.{key}: not declared in {ref}")
            continue
        errors += _field_errors(item, spec, ref.split("#")[0], f"{path}.{key}")
    return errors


def _field_errors(item: object, spec: dict, document: str, path: str) -> list[str]:
    kind = spec["type"]
    if kind == "string":
        return [] if isinstance(item, str) else [f"{path}: expected string"]
    if kind == "integer":
        return [] if isinstance(item, int) and not isinstance(item, bool) else [f"{path}: expected integer"]
    if kind == "boolean":
        return [] if isinstance(item, bool) else [f"{path}: expected boolean"]
    if kind == "array":
        if not isinstance(item, list):
            return [f"{path}: expected array"]
        return [e for i, element in enumerate(item) for e in _field_errors(element, spec["items"], document,
                                                                               f"{path}[{i}]")]
    if kind == "ref":
        target = spec["ref"] if "#" in spec["ref"] and not spec["ref"].startswith("#") else document + spec["ref"]
        return lexicon_errors(item, target, path)
    if kind == "union":
        if not isinstance(item, dict) or item.get("$type") not in spec["refs"]:
            return [f"{path}: $type must be one of {spec['refs']}"]
        return lexicon_errors(item, item["$type"], path)
    return []
