# Differential oracle for fail2ban's tag substitution (helpers.substituteRecursiveTags, 1.0.2).
# stdin: JSON list of {"tags": [[k, v], ...], "conditional": str, "ignore": [str], "extra": {name: value}};
# stdout: JSON list of {"tags": [[k, v], ...]} or {"error": ExceptionName}. `extra` plays addrepl.
import json, sys
from fail2ban.helpers import substituteRecursiveTags

out = []
for case in json.load(sys.stdin):
    extra = case["extra"]
    try:
        r = substituteRecursiveTags(dict(case["tags"]), case["conditional"], case["ignore"], extra.get)
        out.append({"tags": [[k, v] for k, v in r.items()]})
    except ValueError as e:
        out.append({"error": type(e).__name__})
json.dump(out, sys.stdout)
