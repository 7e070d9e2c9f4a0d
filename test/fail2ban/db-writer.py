# Writes bans into a fail2ban database with fail2ban's own class for SECONDS seconds, as fail2ban-server
# does (journal in memory, no fsync: pages change in place), printing the number of bans written. A ban
# every PAUSE seconds: fast enough that reads overlap writes, slow enough that the file stays small.
import sys
import time

from fail2ban.server.database import Fail2BanDb
from fail2ban.server.ticket import FailTicket
from fail2ban.tests.dummyjail import DummyJail

path, seconds, pause = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
db = Fail2BanDb(path)
jail = DummyJail(name='live')
db.addJail(jail)
end = time.time() + seconds
n = 0
while time.time() < end:
    n += 1
    t = FailTicket('10.%d.%d.%d' % (n >> 16 & 255, n >> 8 & 255, n & 255), 1456740000 + n, ['line %d ' % n + 'x' * 1500] * 4)
    t.setBanTime(600)
    db.addBan(jail, t)
    time.sleep(pause)
db.close()
print(n)
