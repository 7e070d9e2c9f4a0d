# Differential oracle for the filter engine: fail2ban 1.0.2's own Filter (server/filter.py) and
# DateDetector, driven line by line. One JSON request a line on stdin, one JSON answer a line on stdout.
# Request: {"spec": {failregex, ignoreregex, prefregex, maxlines, datepattern, logtimezone, usedns},
#           "flags": {checkAllRegex, returnRawHost, checkFindTime, ignorePending}, "now": EPOCH,
#           "lines": [str | [[pre, date, post], EPOCH]]}
# Answer: {"results": [{"failures": [[index, fid, time, fail]], "date": [text, template, time] | null,
#          "exception": str | null}]} or {"error": str}.
import json, sys, logging
from fail2ban.server.filter import Filter
from fail2ban.server.mytime import MyTime
from fail2ban.server import datedetector
from fail2ban.server.ipdns import IPAddr

logging.disable(logging.CRITICAL)

def plain(v):
    if isinstance(v, IPAddr):
        return str(v)
    if isinstance(v, set):
        return sorted(plain(x) for x in v)
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v

def reset_hits():
    # Template objects are shared by the process's caches; each request starts from none used.
    for t in datedetector.DateDetector._defCache.templates:
        t.hits = 0
    for t in datedetector.DateDetectorCache.DEFAULT_TEMPLATES:
        if not isinstance(t, str): t.hits = 0
    for k, v in list(datedetector.DD_patternCache._cache.items()):
        v[0].hits = 0

def run(req):
    MyTime.setTime(req.get("now"))
    reset_hits()
    spec = req["spec"]; flags = req.get("flags", {})
    flt = Filter(None)
    flt.returnRawHost = flags.get("returnRawHost", False)
    flt.checkAllRegex = flags.get("checkAllRegex", False)
    flt.checkFindTime = flags.get("checkFindTime", True)
    flt.ignorePending = flags.get("ignorePending", True)
    if spec.get("usedns") is not None: flt.setUseDns(spec["usedns"])
    if spec.get("logtimezone") is not None: flt.setLogTimeZone(spec["logtimezone"])
    if spec.get("maxlines") is not None: flt.setMaxLines(spec["maxlines"])
    if spec.get("prefregex"): flt.prefRegex = spec["prefregex"]
    for r in spec.get("failregex", []): flt.addFailRegex(r)
    for r in spec.get("ignoreregex", []): flt.addIgnoreRegex(r)
    if spec.get("datepattern") is not None: flt.setDatePattern(spec["datepattern"])
    dd = flt.dateDetector
    seen = {}
    orig = dd.matchTime
    def matchTime(line):
        r = orig(line)
        seen["m"] = r
        return r
    dd.matchTime = matchTime
    out = []
    for line in req["lines"]:
        seen.clear()
        exc = None
        try:
            if isinstance(line, list):
                ret = flt.processLine(tuple(line[0]), line[1])
            else:
                ret = flt.processLine(line)
        except Exception as e:
            ret = []
            exc = type(e).__name__
        date = None
        m = seen.get("m")
        if m and m[0]:
            date = [m[0].group(1), m[1].name]
        out.append({"failures": [[r[0], None if r[1] is None else str(r[1]), r[2], plain(r[3])] for r in ret],
                    "date": date, "exception": exc})
    return {"results": out}

for raw in sys.stdin:
    try:
        ans = run(json.loads(raw))
    except Exception as e:
        ans = {"error": "%s: %s" % (type(e).__name__, e)}
    sys.stdout.write(json.dumps(ans) + "\n")
    sys.stdout.flush()
