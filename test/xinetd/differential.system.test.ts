// Differential tests: our reading of a configuration against the real xinetd's (its debug dump and
// messages). Every case is run through both; the services xinetd keeps, their fields, the lines it
// complains about, and whether `check` finds errors must agree.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../src/core/files.js';
import { effectiveFromFile, render, systemLookup, type EffectiveConfig } from '../../src/xinetd/index.js';
import { expectAsXinetd } from './compare.js';
import { XinetdOracle, type OracleResult } from './oracle.js';

interface Case {
  name: string;
  /** Files relative to the case directory; `@DIR@` in their text is replaced by that directory. */
  files: Record<string, string>;
  /** The main file (default `xinetd.conf`). */
  conf?: string;
  /** Compare `check` on the main file with xinetd's ERROR messages (single-file cases). */
  checkParity?: boolean;
  /** Services xinetd must keep, as a sanity check of the case itself. */
  expect?: string[];
}

const svc = (name: string, body: string) => `service ${name}\n{\n${body}}\n`;
const ok = (port: number, extra = '') =>
  `\tsocket_type = stream\n\ttype = UNLISTED\n\tport = ${port}\n\twait = no\n\tuser = nobody\n\tserver = /bin/cat\n${extra}`;

const thpPasv = readFileSync('fixtures/xinetd/seed/etc/xinetd.d/thp-pasv', 'utf8');
const debianConf = readFileSync('fixtures/xinetd/debian/etc/xinetd.conf', 'utf8');
const debianD = Object.fromEntries(readdirSync('fixtures/xinetd/debian/etc/xinetd.d').sort().map((f) => [f, readFileSync(join('fixtures/xinetd/debian/etc/xinetd.d', f), 'utf8')]));

const cases: Case[] = [
  { name: 'seed-thp-pasv', files: { 'xinetd.conf': thpPasv } },
  {
    name: 'seed-thp-pasv-runnable',
    files: { 'xinetd.conf': thpPasv.replace('user            = thpot', 'user            = nobody').replace('/usr/sbin/thpot', '/bin/cat') },
    expect: ['thp-pasv'],
  },
  {
    name: 'rendered-thp-pasv',
    files: {
      'xinetd.conf': render({
        name: 'thp-pasv',
        attributes: { type: 'UNLISTED', socket_type: 'stream', protocol: 'tcp', port: 22, wait: 'no', user: 'nobody', server: '/bin/cat', server_args: 'nullresp', nice: 10, disable: 'no', instances: 1, per_source: 1 },
      }).toString(),
    },
    expect: ['thp-pasv'],
  },
  {
    name: 'debian-stock',
    files: { 'xinetd.conf': debianConf.replace('/etc/xinetd.d', '@DIR@/xinetd.d'), ...Object.fromEntries(Object.entries(debianD).map(([k, v]) => [`xinetd.d/${k}`, v])) },
    checkParity: false,
  },
  {
    name: 'debian-enabled',
    files: {
      'xinetd.conf': debianConf.replace('/etc/xinetd.d', '@DIR@/xinetd.d'),
      ...Object.fromEntries(Object.entries(debianD).map(([k, v]) => [`xinetd.d/${k}`, v.replace(/disable(\s+)= yes/g, 'disable$1= no')])),
    },
    checkParity: false,
  },
  { name: 'case-insensitive', files: { 'xinetd.conf': svc('ci', `\tSOCKET_TYPE = STREAM\n\tTYPE = unlisted\n\tport = 4001\n\tWait = No\n\tuser = nobody\n\tserver = /bin/cat\n`) }, expect: ['ci'] },
  { name: 'inline-comment', files: { 'xinetd.conf': svc('ic', ok(4002).replace('type = UNLISTED', 'type = UNLISTED # listed elsewhere')) } },
  { name: 'brace-on-service-line', files: { 'xinetd.conf': `service bl {\n${ok(4003)}}\n` + svc('after', ok(4004)) } },
  { name: 'close-with-text', files: { 'xinetd.conf': svc('ct', ok(4005)).replace(/}\n$/, '} # end\n') + svc('next', ok(4006)) + svc('third', ok(4007)) } },
  { name: 'no-space-before-operator', files: { 'xinetd.conf': svc('ns', ok(4008, '\tnice=5\n')) + svc('fine', ok(4009)) } },
  { name: 'bad-operator', files: { 'xinetd.conf': svc('bo', ok(4010, '\tlog_on_success + = PID\n')) + svc('fine', ok(4011)) } },
  { name: 'crlf', files: { 'xinetd.conf': svc('cr', ok(4012)).replace(/\n/g, '\r\n') } },
  {
    name: 'defaults-merge',
    files: {
      'xinetd.conf':
        `defaults\n{\n\tlog_type = FILE /tmp/fwconf-xinetd-unused.log\n\tlog_on_success = HOST PID\n\tonly_from = 10.0.0.0/8\n\tinstances = 30\n}\n` +
        svc('m1', ok(4013, '\tlog_on_success += DURATION\n\tlog_on_success -= PID\n\tonly_from += 127.0.0.1\n\tflags = NAMEINARGS\n\tserver_args = cat -n\n\tenv = A=1\n\tenv += B=2\n')) +
        svc('m2', ok(4014, '\tonly_from = 127.0.0.1\n\tlog_on_success = EXIT\n\tinstances = 5\n')),
    },
    expect: ['m1', 'm2'],
  },
  {
    name: 'missing-required',
    files: {
      'xinetd.conf':
        svc('nowait', ok(4015).replace('\twait = no\n', '')) +
        svc('noport', ok(4016).replace('\tport = 4016\n', '')) +
        svc('noserver', ok(4017).replace('\tserver = /bin/cat\n', '')) +
        svc('nouser', ok(4018).replace('\tuser = nobody\n', '')) +
        svc('nosock', ok(4019).replace('\tsocket_type = stream\n', '\tprotocol = tcp\n')),
    },
  },
  {
    name: 'listed-services',
    files: { 'xinetd.conf': svc('ssh', ok(2222).replace('\ttype = UNLISTED\n', '')) + svc('fwconfnosuch', ok(4020).replace('\ttype = UNLISTED\n', '')) + svc('telnet', ok(23).replace('\ttype = UNLISTED\n', '')) },
  },
  {
    name: 'disabled-enabled-lists',
    files: { 'xinetd.conf': `defaults\n{\n\tdisabled = d1\n\tenabled = d2 D3\n}\n` + svc('d1', ok(4021)) + svc('d2', ok(4022)) + svc('d3', ok(4023)) + svc('d4', ok(4024)) },
    expect: ['d2', 'd3'],
  },
  { name: 'first-value-wins', files: { 'xinetd.conf': svc('fw', ok(4025, '\tport = 4026\n\tnice = 3\n\tnice += 4\n')) }, expect: ['fw'] },
  { name: 'value-count', files: { 'xinetd.conf': svc('vc', ok(4027).replace('port = 4027', 'port = 4027 4028')) } },
  { name: 'bad-value-then-enable', files: { 'xinetd.conf': svc('bv', ok(4029, '\tnice = lots\n\tdisable = no\n')) + svc('bv2', ok(4030, '\tnice = lots\n')) }, expect: ['bv'] },
  { name: 'disable-yes-stops', files: { 'xinetd.conf': svc('dy', ok(4031, '\tdisable = yes\n\tnice = lots\n')) + svc('ok', ok(4032)) }, expect: ['ok'] },
  {
    name: 'includedir-order',
    files: {
      'xinetd.conf': `includedir @DIR@/d\n`,
      'd/b': svc('sb', ok(4033)),
      'd/A': svc('sA', ok(4034)),
      'd/a.conf': svc('sdot', ok(4035)),
      'd/c~': svc('stilde', ok(4036)),
      'd/sub/x': svc('ssub', ok(4037)),
      'd/_z': svc('sz', ok(4038)),
    },
    expect: ['sA', 'sz', 'sb'],
    checkParity: false,
  },
  {
    name: 'include-file',
    files: { 'xinetd.conf': `include @DIR@/one\ninclude @DIR@/missing\n` + svc('main', ok(4039)), one: `defaults\n{\n\tinstances = 7\n}\n` + svc('inc', ok(4040)) },
    checkParity: false,
  },
  { name: 'defaults-error-eats-next', files: { 'xinetd.conf': `defaults\n{\n\tinstances = 4\n\tumask=022\n}\n` + svc('eaten', ok(4041)) + svc('kept', ok(4042)) } },
  { name: 'open-brace-with-text', files: { 'xinetd.conf': `service ob\n{ x\n${ok(4043)}}\n` + svc('after2', ok(4044)) } },
  { name: 'empty-server-args', files: { 'xinetd.conf': svc('sa', ok(4045, '\tserver_args =\n')) } },
  { name: 'env-minus', files: { 'xinetd.conf': svc('em', ok(4046, '\tenv -= A=1\n')) } },
  { name: 'internal-non-builtin', files: { 'xinetd.conf': svc('fwconfint', '\ttype = INTERNAL UNLISTED\n\tport = 4047\n\tsocket_type = stream\n\twait = no\n') + svc('echo', '\ttype = INTERNAL\n\tsocket_type = stream\n\twait = no\n') } },
  { name: 'unknown-attributes', files: { 'xinetd.conf': `defaults\n{\n\tsocket_type = stream\n}\n` + svc('ua', ok(4048, '\tleaky_bucket = 1 2 3 4\n\tmdns = yes\n\tport += 5\n')) }, expect: ['ua'] },
  { name: 'trailing-backslash', files: { 'xinetd.conf': svc('tb', ok(4049, '\tserver_args = a \\\n\t\tb\n')) } },
  { name: 'comments-and-blanks-inside', files: { 'xinetd.conf': `# top\nservice cb\n# between\n\n{\n# inside\n\n${ok(4050)}\n   # indented\n}\n` }, expect: ['cb'] },
  { name: 'missing-close-at-eof', files: { 'xinetd.conf': svc('kept2', ok(4051)) + `service open\n{\n${ok(4052)}` } },
  { name: 'values-and-types', files: { 'xinetd.conf': svc('vt', ok(4053, '\tinstances = UNLIMITED\n\tper_source = 3\n\tcps = 10 5\n\tmax_load = 2.5\n\trlimit_as = 8M\n\tumask = 022\n\taccess_times = 2:00-8:59 12:00-23:59\n\tlog_type = SYSLOG daemon info\n\tdeny_time = FOREVER\n\tgroups = yes\n')) + svc('vt2', ok(4054, '\taccess_times = 24:00-25:00\n')) + svc('vt3', ok(4055, '\tumask = 0999\n')) + svc('vt4', ok(4056, '\tonly_from = 10.0.0.1,10.0.0.2\n')) }, expect: ['vt'] },
  { name: 'duplicate-ids', files: { 'xinetd.conf': svc('du1', ok(4057, '\tid = same\n')) + svc('du2', ok(4058, '\tid = same\n')) } },
];

let oracle: XinetdOracle;
let root: string;
const results = new Map<string, { oracle: OracleResult; ours: EffectiveConfig; dir: string; conf: string }>();

beforeAll(async () => {
  oracle = new XinetdOracle();
  await oracle.start();
  root = mkdtempSync(join(tmpdir(), 'fwconf-xinetd-diff-'));
  const files = new NodeFileSource();
  const jobs = cases.map((c) => async () => {
    const dir = join(root, c.name);
    for (const [rel, text] of Object.entries(c.files)) {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text.replaceAll('@DIR@', dir));
    }
    const conf = join(dir, c.conf ?? 'xinetd.conf');
    results.set(c.name, { oracle: await oracle.run(conf), ours: effectiveFromFile(conf, { files }), dir, conf });
  });
  // A few at a time: each xinetd binds its services' ports in the one namespace.
  for (let i = 0; i < jobs.length; i += 8) await Promise.all(jobs.slice(i, i + 8).map((j) => j()));
}, 120_000);

afterAll(async () => {
  await oracle?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

const sys = systemLookup(new NodeFileSource());

describe('xinetd differential: our effective services against xinetd -d', () => {
  it('ran every case', () => {
    expect(results.size).toBe(cases.length);
    // The oracle really ran: the seed's runnable variant is dumped.
    expect(results.get('seed-thp-pasv-runnable')!.oracle.services.map((s) => s.name)).toEqual(['thp-pasv']);
  });

  for (const c of cases) {
    it(`${c.name}: same services, same fields, same complaints`, () => {
      const r = results.get(c.name)!;
      expectAsXinetd(r, c, sys);
    });
  }
});
