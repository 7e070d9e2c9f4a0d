// Differential: our resolution of a configuration directory against `fail2ban-client -c DIR -d`,
// jail by jail and command by command (filter regexes, options, action names, every parameter).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../src/core/files.js';
import { resolve, toResolvedJSON } from '../../src/fail2ban/index.js';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../cli/capture-io.js';
import { run } from '../spawn.js';
import { fail2banDump, removeTree, SEED, stockJails, stockTree, tempDir, writeTree } from './oracle.js';
import { compare } from './resolve-compare.js';

const trees: string[] = [];
afterAll(() => trees.forEach(removeTree));

describe('Debian stock tree with every jail enabled, plus the seed setup', () => {
  it('equals fail2ban-client -d on every jail', async () => {
    const all = stockJails();
    const dir = stockTree({
      ...SEED,
      'jail.d/zz-all.local': all.map((j) => `[${j}]\nenabled = true\n`).join('\n'),
    });
    trees.push(dir);
    const { jails, commands } = await compare(dir);
    expect(jails).toBe(all.length + 1);
    expect(commands).toBeGreaterThan(1000);
    const json = toResolvedJSON(resolve(dir));
    const thp = json.jails['thp-ssh']!;
    expect(thp.filter!.failregex).toEqual(['SRC=<HOST>']);
    expect(thp.options).toMatchObject({ maxretry: 3, findtime: '1800', bantime: '99999' });
    expect(thp.actions.map((a) => a.name)).toEqual(['iptables-allports']);
    expect(thp.actions[0]!.params).toMatchObject({ port: 'all', protocol: 'tcp', chain: '<known/chain>', name: 'thp-ssh' });
    expect(json.jails.sshd!.actions[0]!.params.port).toBe('2201');
  });

  it('equals fail2ban-client -d for the stock tree as shipped', async () => {
    const dir = stockTree();
    trees.push(dir);
    expect((await compare(dir)).jails).toBe(1);
  });
});

describe('trees of our own: overlay and interpolation corners', () => {
  it('includes, .local twins, jail.d order, known/, default/, sec/, %%, filter args, action lists', async () => {
    const logs = tempDir('logs');
    trees.push(logs);
    writeTree(logs, { 'a.log': 'x\n', 'b.log': 'y\n', 'sub/c.log': 'z\n', '.hidden.log': '' });
    const dir = tempDir('corners');
    trees.push(dir);
    writeTree(dir, {
      'jail.conf': `[INCLUDES]
before = paths.conf
after = missing.local
        extra.conf

[DEFAULT]
enabled = false
filter = %(__name__)s[mode=%(mode)s]
mode = normal
port = 0:65535
protocol = tcp
chain = <known/chain>
banaction = dummy
action_ = %(banaction)s[port="%(port)s", protocol="%(protocol)s", chain="%(chain)s"]
action = %(action_)s
maxretry = 5
maxmatches = %(maxretry)s
bantime = 10m
findtime = 1h
percent = 100%%
usedns = warn
logencoding = auto
logpath = ${logs}/*.log
ignorecommand =

[one]
port = 22
logpath = ${logs}/a.log tail
          ${logs}/sub/*.log
ignoreip = 127.0.0.1/8 ::1,10.0.0.1
           192.168.0.0/16
mode = aggressive
action = %(action_)s
         dummy[name=other, actname=act2]
         dummy[name=one-x] dummy[name="quoted, with comma", blocktype='x y']

[two]
filter = flt[arg1="a,b", arg2=plain][arg3='single']
failregex = %(known/failregex)s
            ^extra <HOST>$
bantime = %(default/bantime)s
findtime = %(one/port)s
description = %(percent)s and %(__name__)s
maxretry = %(known/maxretry)s

[three]
backend = systemd
journalmatch = _SYSTEMD_UNIT=sshd.service + _COMM=sshd
               "quoted arg" 'x y'
action = dummy[name=three]
         pyact.py[k=v, actname=py]
maxretry = abc

[missing-filter]
filter = nosuchfilter

[missing-action]
action = nosuchaction

[disabled]
enabled = no
filter = nosuchfilter
`,
      'paths.conf': `[INCLUDES]
before = paths.conf
[DEFAULT]
logdir = /var/log
`,
      'paths.local': `[DEFAULT]
logdir = /var/log/local
`,
      'extra.conf': `[two]
maxretry = 7
`,
      'jail.local': `[one]
enabled = true
[two]
enabled = yes
maxretry = 9
[three]
enabled = 1
`,
      'jail.d/b.conf': '[missing-filter]\nenabled = true\n[missing-action]\nenabled = true\n',
      'jail.d/A.conf': '[missing-filter]\nenabled = false\n',
      'jail.d/a.local': '[one]\nbantime = 1h\n',
      'jail.d/.hidden.conf': '[one]\nbantime = 99\n',
      'filter.d/common.conf': `[DEFAULT]
_daemon = \\S*
__prefix_line = \\s*(?:\\S+ )?%(_daemon)s:\\s+
[lt_file]
__prefix = file-<__prefix_line>
[lt_journal]
__prefix = journal
`,
      'filter.d/one.conf': `[INCLUDES]
before = common.conf
[Definition]
_daemon = sshd
prefregex = ^<F-MLFID>%(__prefix_line)s</F-MLFID><F-CONTENT>.+</F-CONTENT>$
cmnfailre = ^Failed for <F-USER>.*</F-USER> from <HOST>
mdre-normal =
mdre-aggressive = ^Aggressive <HOST>
failregex = <cmnfailre>
            <mdre-<mode>>
            ^logtype <lt_<logtype>/__prefix> <HOST>
ignoreregex = ^ignore me$
datepattern = {^LN-BEG}%%Y-%%m-%%d
maxlines = 2
[Init]
mode = normal
`,
      'filter.d/one.local': `[Definition]
failregex = %(known/failregex)s
            ^local <HOST>
`,
      'filter.d/flt.conf': `[Definition]
failregex = ^<arg1> <arg2> <arg3> <HOST>
            ^<known/x> <HOST>
[Init]
arg1 = default1
x = init-x
`,
      'filter.d/three.conf': `[Definition]
failregex = ^<logtype> <HOST>
journalmatch = _SYSTEMD_UNIT=other.service
`,
      'action.d/dummy.conf': `[Definition]
actionstart = touch /run/<name>.<actname>
actionban = echo <ip> <port> <protocol> <chain> <blocktype> >> /run/<name>
actionunban = sed -i '/<ip>/d' /run/<name>
actionstart_on_demand = false
norestored = true
[Init]
name = default
blocktype = REJECT
chain = INPUT
init = <blocktype>-<chain>
[Init?family=inet6]
blocktype = DROP6
`,
      'action.d/dummy.local': `[Init]
chain = LOCAL
`,
      'action.d/pyact.py': '# python action\n',
    });
    const { jails, commands } = await compare(dir);
    expect(jails).toBe(5);
    expect(commands).toBeGreaterThan(30);
    const r = resolve(dir);
    const one = r.jails.find((j) => j.name === 'one')!;
    expect(one.logpath.map((l) => l.path).sort()).toEqual([`${logs}/a.log`, `${logs}/sub/c.log`]);
    expect(one.actions.map((a) => a.name)).toEqual(['dummy', 'act2', 'dummy-x', 'dummy-quoted, with comma']);
    expect(one.provenance.bantime).toMatchObject({ file: join(dir, 'jail.d/a.local'), line: 2, raw: '1h' });
    expect(one.provenance.bantime!.overrides).toEqual([{ file: join(dir, 'jail.conf'), line: 18, raw: '10m' }]);
    expect(r.jails.find((j) => j.name === 'missing-filter')!.error).toMatch(/Unable to read the filter 'nosuchfilter'/);
  });

  it('a missing %()s name and a cycle stop fail2ban-client, and are diagnostics naming file, line and chain', async () => {
    for (const [body, code] of [
      ['[a]\nenabled = true\nfilter =\naction =\nbantime = %(b)s\nb = %(nosuch)s\n', 'fail2ban/interpolation-missing'],
      ['[a]\nenabled = true\nfilter =\naction =\nbantime = %(b)s\nb = %(c)s\nc = %(b)s\n', 'fail2ban/interpolation-depth'],
      ['[a]\nenabled = true\nfilter =\naction =\nbantime = 5%\n', 'fail2ban/interpolation-syntax'],
    ] as const) {
      const dir = tempDir('bad');
      trees.push(dir);
      writeTree(dir, { 'jail.conf': body });
      expect((await run(['fail2ban-client', '-c', dir, '-d'])).status, body).not.toBe(0);
      const r = resolve(dir);
      expect(r.fatal).toBe(true);
      const d = r.diagnostics.find((x) => x.code === code)!;
      expect(d, body).toBeDefined();
      expect(d.file).toBe(join(dir, 'jail.conf'));
      expect(d.line).toBe(5);
      if (code !== 'fail2ban/interpolation-syntax') expect(d.message).toContain(`%(b)s (${join(dir, 'jail.conf')}:6)`);
    }
  });
});

describe('tag recursion', () => {
  it('is reported in the action file whose tags refer to each other', () => {
    const files = new MemoryFileSource({
      '/etc/fail2ban/jail.conf': '[t]\nenabled = true\nfilter = f\naction = a\nlogpath = /var/log/x\n',
      '/etc/fail2ban/filter.d/f.conf': '[Definition]\nfailregex = x <HOST>\n',
      '/etc/fail2ban/action.d/a.conf': '[Definition]\nactionban = echo <x>\n[Init]\nx = <y>\ny = <x>\n',
      '/var/log/x': '',
    });
    const d = resolve('/etc/fail2ban', { files }).diagnostics.find((x) => x.code === 'fail2ban/tag-recursion');
    expect(d?.file).toBe('/etc/fail2ban/action.d/a.conf');
    expect(d?.message).toMatch(/^action a of jail \[t\]: /);
  });
});

describe('fwconf fail2ban resolve --commands', () => {
  it('prints what fail2ban-client -d prints: the general settings, then the jails', async () => {
    const dir = stockTree(SEED);
    trees.push(dir);
    const a = captureIo({ stdin: '', cwd: '/' });
    expect(await main(['fail2ban', 'resolve', '--conf-dir', dir, '--commands'], a)).toBe(0);
    const expected = (await fail2banDump(dir)).split('\n').filter((l) => l.startsWith('['));
    expect(expected.filter((l) => /^\['(add|set|multi-set|start)', '(sshd|thp-ssh)'/.test(l)).length).toBeGreaterThan(10);
    expect(a.out.trimEnd().split('\n')).toEqual(expected);
  });
});
