# Writes bans into a fail2ban database with fail2ban's own class, as fail2ban-server does.
#
# db-writer.py PATH SECONDS PAUSE: for SECONDS seconds (journal in memory, no fsync: pages change in
#   place), printing the number of bans written. A ban every PAUSE seconds: fast enough that reads
#   overlap writes, slow enough that the file stays small.
# db-writer.py PATH -: the bans (and log positions) of a JSON document on standard input, each at its
#   own time: {"bans": [{"jail", "ip", "time", "bantime", "count", "matches", "failures"}],
#   "logs": [{"jail", "path", "pos"}]} (a log's first-line md5 as fail2ban's FileContainer takes it).
import json
import sys
import time

from fail2ban.server.database import Fail2BanDb
from fail2ban.server.filter import FileContainer
from fail2ban.server.mytime import MyTime
from fail2ban.server.ticket import FailTicket
from fail2ban.tests.dummyjail import DummyJail

path = sys.argv[1]
db = Fail2BanDb(path)

if sys.argv[2] == '-':
    spec = json.load(sys.stdin)
    jails = {}

    def jail(name):
        if name not in jails:
            jails[name] = DummyJail(name=name)
            db.addJail(jails[name])
        return jails[name]

    for b in spec.get('bans', []):
        MyTime.setTime(b['time'])
        t = FailTicket(b['ip'], b['time'], list(b.get('matches', [])))
        t.setBanTime(b['bantime'])
        t.setBanCount(b.get('count', 1))
        t.setAttempt(b.get('failures', max(1, len(b.get('matches', [])))))
        db.addBan(jail(b['jail']), t)
    for l in spec.get('logs', []):
        c = FileContainer(l['path'], 'utf-8')
        db.addLog(jail(l['jail']), c)
        c.setPos(l['pos'])
        db.updateLog(jail(l['jail']), c)
    db.close()
    print(len(spec.get('bans', [])))
    sys.exit(0)

seconds, pause = float(sys.argv[2]), float(sys.argv[3])
live = DummyJail(name='live')
db.addJail(live)
end = time.time() + seconds
n = 0
while time.time() < end:
    n += 1
    t = FailTicket('10.%d.%d.%d' % (n >> 16 & 255, n >> 8 & 255, n & 255), 1456740000 + n, ['line %d ' % n + 'x' * 1500] * 4)
    t.setBanTime(600)
    db.addBan(live, t)
    time.sleep(pause)
db.close()
print(n)
