# Builds a SQLite database from a JSON spec on stdin with Python's sqlite3 module (the library fail2ban
# writes with), then prints every table's rows as SQLite reads them back, each value with its storage
# class: {"t": "i"|"r"|"s"|"b"|"n", "v": ...} (REAL as the hex of its IEEE-754 bytes, BLOB as hex).
import json
import shutil
import sqlite3
import struct
import sys

spec = json.load(sys.stdin)
path = spec['path']


def value(v):
    t = v['t']
    if t == 'i':
        return int(v['v'])
    if t == 'r':
        return struct.unpack('>d', bytes.fromhex(v['v']))[0]
    if t == 's':
        return v['v']
    if t == 'b':
        return bytes.fromhex(v['v']) * v.get('repeat', 1)
    return None


def typed(x):
    if x is None:
        return {'t': 'n'}
    if isinstance(x, int):
        return {'t': 'i', 'v': str(x)}
    if isinstance(x, float):
        return {'t': 'r', 'v': struct.pack('>d', x).hex()}
    if isinstance(x, str):
        return {'t': 's', 'v': x}
    return {'t': 'b', 'v': bytes(x).hex()}


con = sqlite3.connect(path, isolation_level=None)
con.execute('PRAGMA page_size=%d' % spec['pageSize'])
con.execute('PRAGMA auto_vacuum=%s' % spec['autoVacuum'])
con.execute("PRAGMA encoding='%s'" % spec['encoding'])
if spec['wal']:
    con.execute('PRAGMA journal_mode=WAL')
    con.execute('PRAGMA wal_autocheckpoint=0')
for t in spec['tables']:
    for stmt in t['sql'].split('; '):
        con.execute(stmt)
    cols = ', '.join(t['columns'])
    marks = ', '.join('?' for _ in t['columns'])
    con.execute('BEGIN')
    for row in t['rows']:
        vals = [value(v) for v in row['values']]
        if row.get('rowid') is not None:
            con.execute('INSERT OR REPLACE INTO %s(rowid, %s) VALUES(?, %s)' % (t['name'], cols, marks), [int(row['rowid'])] + vals)
        else:
            # OR REPLACE: a rowid alias given the rowid an earlier NULL was given (seed 920517021).
            con.execute('INSERT OR REPLACE INTO %s(%s) VALUES(%s)' % (t['name'], cols, marks), vals)
    con.execute('COMMIT')
    if t.get('deleteMod'):
        con.execute('DELETE FROM %s WHERE (rowid %% %d) = 0' % (t['name'], t['deleteMod']))
for d in spec.get('drop', []):
    con.execute('DROP TABLE %s' % d)
if spec['vacuum']:
    con.execute('VACUUM')
out = {'tables': {}}
for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
    q = '"%s"' % name.replace('"', '""')
    out['tables'][name] = [[typed(x) for x in r] for r in con.execute('SELECT rowid, * FROM %s ORDER BY rowid' % q)]
if spec['wal']:
    # Copied while the connection is open: closing checkpoints the log into the file and removes it.
    shutil.copyfile(path, spec['copy'])
    shutil.copyfile(path + '-wal', spec['copy'] + '-wal')
con.close()
print(json.dumps(out))
