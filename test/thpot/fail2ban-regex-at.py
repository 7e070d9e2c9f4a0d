# fail2ban-regex (fail2ban's own exec_command_line) on many logs in one process, each at a fixed clock:
# fail2ban's MyTime.setTime, the hook fail2ban's own tests use to mock the time. Reads JSON
# [{"now": epoch seconds, "log": path}, ...] on stdin and prints [{"rows": [...], "msgs": [...]}, ...]:
# the `-o row` and `-o msg` lines of `fail2ban-regex --raw LOG 'SRC=<HOST>'`.
import contextlib, io, json, logging, sys
from fail2ban.server.mytime import MyTime
from fail2ban.client.fail2banregex import exec_command_line

out = []
for case in json.load(sys.stdin):
    res = {}
    for fmt in ('row', 'msg'):
        MyTime.setTime(case['now'])
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            try:
                exec_command_line(['--raw', '-o', fmt, case['log'], 'SRC=<HOST>'])
            except SystemExit as e:
                if e.code not in (None, 0):
                    raise
        for h in logging.getLogger('fail2ban').handlers[:]:
            logging.getLogger('fail2ban').removeHandler(h)
        res[fmt + 's'] = [l for l in buf.getvalue().split('\n') if l]
    out.append(res)
json.dump(out, sys.stdout)
