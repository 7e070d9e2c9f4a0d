# Differential oracle: fail2ban's own SafeConfigParserWithIncludes (Python configparser with
# fail2ban's settings) reads each file alone; prints its raw DEFAULT and sections as JSON.
# stdin: JSON list of texts; stdout: JSON list of {"defaults", "sections"} or {"error": ExceptionName}.
import json, sys, tempfile, os
from fail2ban.client.configparserinc import SafeConfigParserWithIncludes

texts = json.load(sys.stdin)
out = []
with tempfile.TemporaryDirectory() as d:
    for i, t in enumerate(texts):
        p = os.path.join(d, 'f%d.conf' % i)
        with open(p, 'w', encoding='utf-8', newline='') as f:
            f.write(t)
        c = SafeConfigParserWithIncludes()
        try:
            c.read(p, get_includes=False)
            out.append({
                'defaults': [[k, v] for k, v in c._defaults.items()],
                'sections': [[n, [[k, v] for k, v in s.items()]] for n, s in c._sections.items()],
            })
        except Exception as e:
            out.append({'error': type(e).__name__})
json.dump(out, sys.stdout)
