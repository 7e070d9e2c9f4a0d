# Validates a JSON instance (stdin) against a JSON schema (argv[1]) with python3-jsonschema; prints each
# error as one JSON line {"path": ..., "message": ...}; exit 0 whether valid or not (the test judges).
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
instance = json.load(sys.stdin)
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
v = cls(schema, format_checker=cls.FORMAT_CHECKER)
for e in sorted(v.iter_errors(instance), key=lambda e: list(e.absolute_path)):
    print(json.dumps({"path": "/".join(str(p) for p in e.absolute_path), "message": e.message}))
print(json.dumps({"validator": cls.__name__}))
