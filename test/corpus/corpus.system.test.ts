// fwconf over the corpus of real-world files (fixtures/corpus, sources and licences in SOURCES.json):
// every file prints back byte for byte and is detected as its format from the path it has on a
// system; and where the project has the daemon as an oracle, fwconf reads the files as the daemon does:
// - sshd_config: `check` ⇔ `sshd -t`, `sshd effective --all` = `sshd -T -C` for several connections;
// - fail2ban trees (as shipped, with every jail enabled, with repositories' files over the stock tree):
//   `check` has errors ⇔ `fail2ban-client -t` refuses, `resolve` = `fail2ban-client -d`, the jails it
//   skips are those fail2ban-client skips;
// - xinetd files (the stock tree, each service file alone, enabled, the documentation's examples):
//   effective services = `xinetd -d`'s dump and messages;
// - iptables restore files: `check` ⇔ `iptables-restore --test`, and `diff FILE <(iptables-save)` after
//   restoring FILE in a namespace reports nothing;
// - ufw (a tree made of the corpus's files, with every application profile): `ufw enable` accepts the
//   rule files fwconf checks clean, fwconf's status and show-added are ufw's, and `ufw allow PROFILE`
//   writes the files fwconf predicts.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../src/core/files.js';
import { detectFormat, formats } from '../../src/formats.js';
import { check as sshdCheck, effective, parse as parseSshd } from '../../src/sshd/index.js';
import { checkConfig, resolve } from '../../src/fail2ban/index.js';
import { effectiveFromFile, systemLookup } from '../../src/xinetd/index.js';
import { expandRule, parseAppProfiles, type UfwAppProfile } from '../../src/ufw/index.js';
import { checkConf, checkRules, isEnabled, parseApp, parseConf, parseRules, readTree } from '../../src/ufw-files/index.js';
import { check as checkIptables, parse as parseIptables } from '../../src/iptables/index.js';
import { NetNamespace, withNetns } from '../netns.js';
import { selfDiff } from '../iptables/self-diff.js';
import { run, runOk } from '../spawn.js';
import { comparable, connection } from '../sshd/connection.js';
import { CONNECTIONS } from '../sshd/generate.js';
import { compare as compareFail2ban } from '../fail2ban/resolve-compare.js';
import { expectAsXinetd } from '../xinetd/compare.js';
import { XinetdOracle } from '../xinetd/oracle.js';
import { forwardingOn, privateUfwTree } from '../ufw-tree.js';
import { expectOfflineOutputsOf, predict } from '../ufw-files/offline.js';
import { CORPUS, corpusEntries, readCorpus, systemPath, type CorpusEntry } from './sources.js';

const entries = corpusEntries();
const read = (e: CorpusEntry) => readCorpus(e);
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwconf-corpus-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('every file of the corpus', () => {
  const formatted = entries.filter((e) => e.format !== null);

  it('prints back byte for byte', () => {
    expect(formatted.length).toBeGreaterThan(200);
    const failed = formatted.filter((e) => formats[e.format!].parse(read(e), { file: systemPath(e) }).toString() !== read(e)).map((e) => e.file);
    expect(failed).toEqual([]);
  });

  it('is detected as its format from the path it has on a system', () => {
    const wrong = formatted
      .filter((e) => !e.source.path.endsWith('/ssh_config')) // ssh's client file: read with sshd_config's syntax on request only
      .map((e) => [e.file, e.format, (() => {
        const d = detectFormat(systemPath(e).replace(/^\/usr\/share\/ufw\/(iptables\/)?/, '/etc/ufw/').replace(/\.gz$/, ''), read(e));
        return 'format' in d ? d.format.name : d.error;
      })()])
      .filter(([, want, got]) => want !== got);
    expect(wrong).toEqual([]);
  });
});

describe('sshd_config files against the real sshd', () => {
  const files = entries.filter((e) => e.format === 'sshd' && systemPath(e) === '/etc/ssh/sshd_config');
  let key = '';
  beforeAll(async () => {
    mkdirSync('/run/sshd', { recursive: true });
    key = join(dir, 'hk');
    await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', key]);
  });

  it.each(files.map((e) => [e.file, e] as const))('%s: check is sshd -t, effective --all is sshd -T -C', async (_name, e) => {
    // Include points at an empty directory of the test's own, for sshd and fwconf alike.
    const base = mkdtempSync(join(dir, 'sshd-'));
    mkdirSync(join(base, 'sshd_config.d'));
    const file = join(base, 'sshd_config');
    const text = read(e).replace(/^(Include\s+)\/etc\/ssh\/sshd_config\.d\//m, `$1${base}/sshd_config.d/`);
    writeFileSync(file, text);
    const t = await run(['/usr/sbin/sshd', '-t', '-f', file, '-h', key], { cwd: base });
    const errors = sshdCheck(parseSshd(text, { file }), { cwd: base }).filter((d) => d.severity === 'error');
    expect(errors.length === 0, `sshd -t: exit ${t.status} ${t.stderr}; fwconf: ${errors.map((d) => `${d.line}: ${d.message}`).join('; ')}`).toBe(t.status === 0);
    if (t.status !== 0) return; // a file sshd refuses has no -T to compare
    let compared = 0;
    for (const spec of CONNECTIONS) {
      const T = await run(['/usr/sbin/sshd', '-T', '-f', file, '-h', key, '-C', spec], { cwd: base });
      const ours = effective(parseSshd(text, { file }), { connection: connection(spec), all: true, cwd: base });
      if (T.status !== 0) {
        expect(ours.diagnostics.length, `${spec}: sshd -T: ${T.stderr}`).toBeGreaterThan(0);
        continue;
      }
      expect(ours.diagnostics, spec).toEqual([]);
      expect(comparable(ours.toString()), spec).toEqual(comparable(T.stdout));
      compared++;
    }
    expect(compared).toBeGreaterThan(3);
  });
});

describe('fail2ban trees against fail2ban-client -d', () => {
  const trees = [...new Set(entries.filter((e) => e.format === 'fail2ban' && e.file.endsWith('/jail.conf')).map((e) => dirname(e.file)))];

  it('the corpus has its fail2ban trees', () => {
    expect(trees.length).toBeGreaterThanOrEqual(2);
  });

  /** What fail2ban-client -t said over the cases (checked by the last test of this block). */
  const testOutcomes = new Set<string>();

  /**
   * fwconf reads the tree as fail2ban-client -d does: where the client reads it, the same command stream
   * (resolve-compare's compare) and the same jails skipped ("Errors in jail 'X'. Skipping..."); where it
   * stops (exit 255, no stream), fwconf's resolution is fatal with the reason as an error. Returns
   * whether the client read the tree.
   */
  async function asClient(conf: string): Promise<boolean> {
    // `fail2ban check` has errors exactly when `fail2ban-client -t` refuses the configuration.
    const t = await run(['fail2ban-client', '-c', conf, '-t']);
    const errors = checkConfig(conf).filter((d) => d.severity === 'error');
    const refusal = t.stderr.split('\n').filter((l) => /ERROR/.test(l)).join('\n');
    testOutcomes.add(t.status === 0 ? 'accepted' : 'refused');
    expect(errors.length > 0, `fail2ban-client -t: exit ${t.status}\n${refusal}\nfwconf: ${errors.map((d) => `${d.code} ${d.message}`).join('\n')}`).toBe(t.status !== 0);
    const real = await run(['fail2ban-client', '-c', conf, '-d']);
    const r = resolve(conf);
    if (real.status !== 0) {
      const why = real.stderr.trim().split('\n').filter((l) => /ERROR/.test(l)).pop() ?? '';
      expect(r.fatal, `fail2ban-client -d stops (${why}); fwconf: ${JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error'))}`).toBe(true);
      expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      return false;
    }
    const { jails } = await compareFail2ban(conf);
    expect(jails).toBeGreaterThan(0);
    const skipped = [...real.stderr.matchAll(/Errors in jail '([^']+)'\. Skipping/g)].map((m) => m[1]!);
    expect(r.jails.filter((j) => j.error).map((j) => j.name)).toEqual(skipped);
    return true;
  }

  // The fail2ban files of each public repository (a jail.local, jail.d/, filter.d/ …) over the stock tree,
  // where their setup puts them.
  const STOCK = 'debian/fail2ban/etc/fail2ban';
  const overlays = new Map<string, CorpusEntry[]>();
  for (const e of entries) if (e.format === 'fail2ban' && 'repository' in e.source) overlays.set(e.source.repository, [...(overlays.get(e.source.repository) ?? []), e]);
  it.each([...overlays].map(([repo, es]) => [repo, es] as const))("%s's files over the stock tree", async (_name, es) => {
    const conf = mkdtempSync(join(dir, 'f2b-overlay-'));
    cpSync(join(CORPUS, STOCK), conf, { recursive: true });
    for (const e of es) {
      const p = join(conf, systemPath(e).replace(/^\/etc\/fail2ban\//, ''));
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, read(e));
    }
    expect(await asClient(conf)).toBe(true);
    // And with the logs the jails name present (the test host has no /var/log/auth.log): -t may accept.
    writeFileSync(join(conf, 'auth.log'), '');
    mkdirSync(join(conf, 'jail.d'), { recursive: true });
    writeFileSync(join(conf, 'jail.d/zzz-fwconf-logs.local'), `[DEFAULT]\nlogpath = ${conf}/auth.log\n[sshd]\nlogpath = ${conf}/auth.log\n`);
    expect(await asClient(conf)).toBe(true);
  });

  // fail2ban's test filters (tests/files/filter.d, not a tree of their own) in the stock tree, each used by a jail.
  it("fail2ban's test filters, each in a jail of the stock tree", async () => {
    const filters = entries.filter((e) => e.format === 'fail2ban' && e.file.includes('/tests/files/filter.d/'));
    expect(filters.length).toBeGreaterThan(3);
    const conf = mkdtempSync(join(dir, 'f2b-testfilters-'));
    cpSync(join(CORPUS, STOCK), conf, { recursive: true });
    writeFileSync(join(conf, 'test.log'), '');
    const names: string[] = [];
    for (const e of filters) {
      const base = e.file.split('/').pop()!;
      writeFileSync(join(conf, 'filter.d', base), read(e));
      if (base.endsWith('.conf') && !base.includes('common')) names.push(base.replace(/\.conf$/, ''));
    }
    writeFileSync(join(conf, 'jail.d/zz-fwconf-tests.local'), `[sshd]\nlogpath = ${conf}/test.log\n\n` + names.map((n) => `[t-${n}]\nenabled = true\nfilter = ${n}\nbackend = polling\nlogpath = ${conf}/test.log\n`).join('\n'));
    expect(await asClient(conf)).toBe(true);
  });

  for (const tree of trees) {
    it(`${tree}, as shipped`, async () => {
      expect(await asClient(join(CORPUS, tree))).toBe(true);
    });

    it(`${tree}, with every jail enabled`, async () => {
      const conf = mkdtempSync(join(dir, 'f2b-'));
      cpSync(join(CORPUS, tree), conf, { recursive: true });
      const jailConf = readFileSync(join(conf, 'jail.conf'), 'utf8');
      const names = [...jailConf.matchAll(/^\[([^\]\n]+)\]/gm)].map((m) => m[1]!).filter((n) => n !== 'INCLUDES' && n !== 'DEFAULT');
      expect(names.length).toBeGreaterThan(5);
      mkdirSync(join(conf, 'jail.d'), { recursive: true });
      writeFileSync(join(conf, 'jail.d/zz-fwconf-all.local'), names.map((j) => `[${j}]\nenabled = true\n`).join('\n'));
      await asClient(conf);
    });
  }

  it('fail2ban-client -t accepted some of these configurations and refused others (so check ⇔ -t is tested both ways)', () => {
    expect([...testOutcomes].sort()).toEqual(['accepted', 'refused']);
  });
});

describe('xinetd files against xinetd -d', () => {
  const xinetd = entries.filter((e) => e.format === 'xinetd');
  const services = xinetd.filter((e) => 'debian' in e.source && e.source.path.startsWith('/etc/xinetd.d/'));
  const conf = xinetd.find((e) => 'debian' in e.source && e.source.path === '/etc/xinetd.conf')!;
  const examples = xinetd.filter((e) => e.source.path.includes('/examples/'));
  const enable = (t: string) => t.replace(/^(\s*disable\s*)= yes/gm, '$1= no');
  /** Cases: a main file and the files beside it (`@DIR@`: the case's directory). */
  const cases: { name: string; files: Record<string, string>; checkParity: boolean }[] = [
    { name: 'stock', files: { 'xinetd.conf': read(conf).replace('/etc/xinetd.d', '@DIR@/xinetd.d'), ...Object.fromEntries(services.map((e) => [`xinetd.d/${e.source.path.split('/').pop()}`, read(e)])) }, checkParity: false },
    { name: 'stock-enabled', files: { 'xinetd.conf': read(conf).replace('/etc/xinetd.d', '@DIR@/xinetd.d'), ...Object.fromEntries(services.map((e) => [`xinetd.d/${e.source.path.split('/').pop()}`, enable(read(e))])) }, checkParity: false },
    ...services.flatMap((e) => [
      { name: e.file, files: { 'xinetd.conf': read(e) }, checkParity: true },
      { name: `${e.file}, enabled`, files: { 'xinetd.conf': enable(read(e)) }, checkParity: true },
    ]),
    ...examples.map((e) => ({ name: e.file, files: { 'xinetd.conf': read(e) }, checkParity: true })),
    // Files of public repositories; an includedir of /etc/xinetd.d reads the stock services.
    ...xinetd
      .filter((e) => 'repository' in e.source)
      .map((e) => {
        const text = read(e);
        const included = /^includedir \/etc\/xinetd\.d\s*$/m.test(text);
        return {
          name: e.file,
          files: { 'xinetd.conf': text.replace(/^includedir \/etc\/xinetd\.d/m, 'includedir @DIR@/xinetd.d'), ...(included ? Object.fromEntries(services.map((s) => [`xinetd.d/${s.source.path.split('/').pop()}`, read(s)])) : {}) },
          checkParity: !included,
        };
      }),
  ];
  let oracle: XinetdOracle;
  beforeAll(async () => {
    oracle = new XinetdOracle();
    await oracle.start();
  });
  afterAll(async () => {
    await oracle?.stop();
  });
  const sys = systemLookup(new NodeFileSource());

  it('has the stock tree, its services and the examples', () => {
    expect(services.length).toBeGreaterThanOrEqual(10);
    expect(examples.length).toBe(2);
  });

  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const base = join(dir, `xinetd-${i}`);
    for (const [rel, text] of Object.entries(c.files)) {
      mkdirSync(dirname(join(base, rel)), { recursive: true });
      writeFileSync(join(base, rel), text.replaceAll('@DIR@', base));
    }
    const main = join(base, 'xinetd.conf');
    // One at a time: each xinetd binds its services' ports in the one namespace.
    const theirs = await oracle.run(main);
    expectAsXinetd({ oracle: theirs, ours: effectiveFromFile(main, { files: new NodeFileSource() }), conf: main }, { checkParity: c.checkParity }, sys);
  });
});

describe('iptables restore files against iptables-restore and iptables-save in a namespace', () => {
  const files = entries.filter((e) => e.format === 'iptables-save');

  it('the corpus has restore files', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files.map((e) => [e.file, e] as const))('%s: check is iptables-restore --test, and the file does not differ from its own dump', async (_name, e) => {
    const text = read(e);
    const errors = checkIptables(parseIptables(text, { file: systemPath(e) })).filter((d) => d.severity === 'error');
    const test = await withNetns('corpus-ipt', (ns) => ns.spawn(['iptables-restore', '--test'], text));
    expect(errors.map((d) => `${d.line}: ${d.message}`), test.stderr).toEqual([]);
    expect(test.status, test.stderr).toBe(0);
    const { text: changes, dump } = await selfDiff(text);
    expect(changes, dump).toBe('');
  });
});

describe('ufw: a tree of the corpus files against the real ufw', () => {
  const ufw = entries.filter((e) => e.source.path.startsWith('/etc/ufw/') || e.source.path === '/etc/default/ufw' || e.source.path.startsWith('/usr/share/ufw/'));
  const apps = entries.filter((e) => e.format === 'ufw-app');
  let ns: NetNamespace;
  let root = '';
  let forwarding = false;
  const sh = (script: string) => ns.run(['sh', '-c', `ufw() { /usr/sbin/ufw --rootdir='${root}' --datadir='${root}' "$@"; }\nset -e\n${script}\n`]);
  const rules = (v6: boolean) => readFileSync(join(root, 'etc/ufw', v6 ? 'user6.rules' : 'user.rules'), 'utf8');

  beforeAll(async () => {
    ns = await NetNamespace.create('corpus-ufw');
    root = mkdtempSync(join(tmpdir(), 'fwconf-corpus-ufw-'));
    chmodSync(root, 0o755);
    // ufw's programs (lib/ufw) from the host, its configuration from the corpus, as ufw's postinst lays it out.
    privateUfwTree(root);
    rmSync(join(root, 'etc/ufw'), { recursive: true });
    for (const e of ufw) {
      const p = e.source.path.replace(/^\/usr\/share\/ufw\/(iptables\/)?/, '/etc/ufw/');
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), read(e));
      if (e.source.path.startsWith('/usr/share/ufw/')) writeFileSync(join(root, e.source.path), read(e));
    }
    forwarding = await forwardingOn(ns);
  });
  afterAll(async () => {
    try {
      await ns?.delete();
    } finally {
      if (root) rmSync(root, { recursive: true, force: true });
    }
  });

  it('fwconf finds no error in the rule and settings files, and ufw enables them', async () => {
    const problems: string[] = [];
    for (const e of ufw.filter((x) => x.format === 'ufw-rules' || x.format === 'ufw-conf')) {
      const ds = e.format === 'ufw-rules' ? checkRules(parseRules(read(e), { file: systemPath(e) })) : checkConf(parseConf(read(e), { file: systemPath(e) }));
      for (const d of ds.filter((x) => x.severity === 'error')) problems.push(`${e.file}:${d.line}: ${d.message}`);
    }
    expect(problems).toEqual([]);
    // ENABLED=no as shipped: ufw prints only `Status: inactive` (fwconf's status is what ufw prints once enabled).
    expect(isEnabled(readTree(new NodeFileSource({ root }), '/'))).toBe(false);
    expect(await sh('ufw status 2>/dev/null')).toBe('Status: inactive\n');
    await sh('ufw --force enable >/dev/null');
    expect(isEnabled(readTree(new NodeFileSource({ root }), '/'))).toBe(true);
    await expectOfflineOutputsOf(root, sh, forwarding);
  }, 300_000);

  it('`ufw allow PROFILE` for every profile of the corpus writes the rule files fwconf predicts', async () => {
    const profiles = new Map<string, UfwAppProfile>(apps.flatMap((e) => parseAppProfiles(read(e))).map((p) => [p.name, p]));
    expect(profiles.size).toBeGreaterThan(30);
    // The profiles ufw lists are those fwconf reads, and fwconf finds no error in their files.
    const listed = (await sh('ufw app list 2>/dev/null')).split('\n').slice(1).map((l) => l.trim()).filter(Boolean);
    expect([...profiles.keys()].sort()).toEqual([...listed].sort());
    expect(apps.flatMap((e) => parseApp(read(e), { file: systemPath(e) }).diagnostics.filter((d) => d.severity === 'error').map((d) => `${e.file}:${d.line}: ${d.message}`))).toEqual([]);
    const failures: string[] = [];
    let first = true;
    for (const name of [...profiles.keys()].sort()) {
      const before = { v4: rules(false), v6: rules(true) };
      const r = await ns.spawn(['sh', '-c', `/usr/sbin/ufw --rootdir='${root}' --datadir='${root}' allow "$1" 2>&1`, 'sh', name]);
      const after = { v4: rules(false), v6: rules(true) };
      if (r.status !== 0) {
        failures.push(`ufw allow ${name}: ufw refused it (${r.stdout.trim()})`);
        continue;
      }
      const want = predict(before, expandRule({ action: 'allow', app: name }, profiles), false);
      // The package's user.rules is a short template ufw rewrites whole at its first change: there the
      // rules must agree; from then on (ufw's own layout) the bytes.
      const same = first
        ? (['v4', 'v6'] as const).every((f) => JSON.stringify(parseRules(want[f]).rules().map((x) => x.spec)) === JSON.stringify(parseRules(after[f]).rules().map((x) => x.spec)))
        : want.v4 === after.v4 && want.v6 === after.v6;
      if (!same) failures.push(`ufw allow ${name}: fwconf predicts other files`);
      first = false;
    }
    expect(failures).toEqual([]);
    await expectOfflineOutputsOf(root, sh, forwarding);
  }, 600_000);
});
