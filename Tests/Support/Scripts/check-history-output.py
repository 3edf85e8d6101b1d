"""Checks cadence history's script output as a script would read it: the JSON against
docs/history.schema.json (python3-jsonschema), and the CSV (Python's csv module) against the
JSON, row by row and key by key. Prints "ok", or each disagreement.

  check-history-output.py SCHEMA JSON_FILE CSV_FILE
"""
import csv
import json
import sys

import jsonschema

schema_path, json_path, csv_path = sys.argv[1:4]
schema = json.load(open(schema_path))
rows = json.load(open(json_path))
problems = []
try:
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(rows)
except jsonschema.ValidationError as error:
    problems.append(f"schema: {error.message} at {list(error.absolute_path)}")

with open(csv_path, newline="") as handle:
    table = list(csv.DictReader(handle))
if len(table) != len(rows):
    problems.append(f"{len(table)} CSV rows, {len(rows)} JSON rows")
for index, (cells, row) in enumerate(zip(table, rows)):
    # JSON's keys are sorted; CSV's follow the row's own order.
    expected_keys = sorted(key for key in row if key != "heard")
    if sorted(cells.keys()) != expected_keys:
        problems.append(f"row {index}: CSV columns {list(cells.keys())}, JSON keys {expected_keys}")
        continue
    for key in expected_keys:
        value, cell = row[key], cells[key]
        if value is None:
            same = cell == ""
        elif isinstance(value, bool):
            same = cell == ("true" if value else "false")
        elif isinstance(value, list):
            same = cell == " ".join(value)
        elif isinstance(value, (int, float)):
            same = cell != "" and abs(float(cell) - value) < 1e-9
        else:
            same = cell == str(value)
        if not same:
            problems.append(f"row {index} {key}: CSV {cell!r}, JSON {value!r}")
print("\n".join(problems) if problems else "ok")
