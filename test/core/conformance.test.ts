/**
 * One contract for every format of src/formats.ts: detect scores on core's 0–3 scale, parse/print
 * identity (fixtures and generated text), edits change only the lines they touch, positions are those
 * of the printed text after an edit, toJSON is plain data, and an unreadable line is kept verbatim with
 * a diagnostic.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineDocument } from '../../src/core/document.js';
import { MemoryFileSource } from '../../src/core/files.js';
import { FORMAT_NAMES, type FormatDocument, type FormatName } from '../../src/core/format.js';
import { applyEdits } from '../../src/core/lines.js';
import { formats } from '../../src/formats.js';
import type { SshdDocument } from '../../src/sshd/index.js';
import type { XinetdDocument } from '../../src/xinetd/index.js';
import { type Fail2banDocument } from '../../src/fail2ban/index.js';
import { parseIni } from '../../src/fail2ban/parse.js';
import { parse as parseIptables, type IptablesDocument } from '../../src/iptables/index.js';
import { type UfwStatusDocument } from '../../src/ufw/index.js';
import { parseLine as ufwLine } from '../../src/ufw/parse.js';
import { parse as parseThpot, type CaptureLog } from '../../src/thpot/index.js';
import { ruleSpec } from '../../src/ufw/model.js';
import type { UfwRulesDocument } from '../../src/ufw-rules/index.js';
import type { UfwConfDocument } from '../../src/ufw-conf/index.js';
import type { UfwAppDocument } from '../../src/ufw-app/index.js';
import type { Fail2banLog } from '../../src/fail2ban-log/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** The recorded lens cases; `npm run fixtures:models` writes them anew (then review the diff). */
const MODELS = join(ROOT, 'fixtures', 'models');
const UPDATE_MODELS = process.env.FWCONF_UPDATE_MODELS === '1';

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

interface Case {
  /** Fixture files of the format, with the path a real system would give them. */
  fixtures: { file: string; path: string; text: string }[];
  /** The format's simplest edit, on a fixture; returns how many lines it may remove and add at most. */
  edit(doc: FormatDocument): { removed: number; added: number };
  /** A line the format cannot read, placed between readable lines. */
  unreadable: { before: string; line: string; after: string };
  /** Typed input for `format.render`, and its options. */
  render: { input: unknown; options?: unknown };
  /** Options for `format.semantics` (files it reads come from here, never from this machine). */
  semantics?: () => unknown;
  /** Whether the simplest edit changes what `semantics` computes on some fixture (every format but fail2ban, whose probe key no jail reads). */
  editChangesSemantics: boolean;
}

function fixtures(dir: string, keep: (rel: string) => boolean, path: (rel: string) => string = (r) => r) {
  const base = join(ROOT, 'fixtures', dir);
  return walk(base)
    .map((f) => relative(base, f))
    .filter(keep)
    .map((rel) => ({ file: join(base, rel), path: path(rel), text: readFileSync(join(base, rel), 'utf8') }));
}

/** The formats built on core's LineDocument: all of them. */
const ON_BASE: readonly FormatName[] = FORMAT_NAMES;

/** The setup's ufw state: deny incoming, allow 2201/tcp on both families. */
const UFW_STATE = {
  status: 'active',
  logging: { state: 'on', level: 'low' },
  defaults: { incoming: 'deny', outgoing: 'allow', routed: 'disabled' },
  newProfiles: 'skip',
  rules: [false, true].map((v6) => ruleSpec({ action: 'allow', proto: 'tcp', dport: '2201', v6 })),
};

const CASES: Record<FormatName, Case> = {
  sshd: {
    render: { input: { header: ['fwconf'], global: [['Port', 2201], ['PermitRootLogin', 'no']], matches: [{ match: { user: 'deploy' }, directives: [['PasswordAuthentication', 'no']] }] } },
    semantics: () => ({ files: new MemoryFileSource({}) }),
    editChangesSemantics: true,
    fixtures: fixtures('sshd', (r) => /(^|\/)sshd_config$|sshd_config\.d\/.*\.conf$/.test(r), (r) => (r.includes('sshd_config.d/') ? r : '/etc/ssh/sshd_config')),
    edit(doc) {
      (doc as SshdDocument).set('MaxAuthTries', '7');
      return { removed: 1, added: 1 };
    },
    unreadable: { before: 'Port 22\n', line: 'PasswordAuthentication\n', after: 'UsePAM yes\n' },
  },
  xinetd: {
    render: { input: { name: 'thp-pasv', attributes: [['type', 'UNLISTED'], ['socket_type', 'stream'], ['protocol', 'tcp'], ['port', '22'], ['wait', 'no'], ['user', 'thpot'], ['server', '/usr/sbin/thpot']] } },
    semantics: () => ({ files: new MemoryFileSource({}) }),
    editChangesSemantics: true,
    fixtures: fixtures('xinetd', (r) => r.includes('/etc/'), (r) => '/' + r.slice(r.indexOf('etc/'))),
    edit(doc) {
      const d = doc as XinetdDocument;
      const name = d.toJSON().services[0]?.name;
      if (name === undefined) d.addService('echo', [{ name: 'port', values: ['7'] }] as never);
      else d.service(name)!.set('port', '4242');
      return { removed: 1, added: name === undefined ? 5 : 1 };
    },
    unreadable: { before: 'service echo\n{\n\tport = 7\n', line: '\tthis is not an attribute\n', after: '}\n' },
  },
  fail2ban: {
    render: { input: { sections: [{ name: 'thp-ssh', options: { enabled: true, port: 'all', filter: 'thpot', logpath: '/var/log/thpot/captures', banaction: 'iptables-allports' } }] }, options: { file: '/etc/fail2ban/jail.d/fwconf.local' } },
    semantics: () => ({ files: new MemoryFileSource(Object.fromEntries(fixtures('fail2ban', (r) => r.startsWith('debian-etc/'), (r) => '/etc/fail2ban/' + r.replace(/^debian-etc\//, '')).map((f) => [f.path, f.text]))) }),
    editChangesSemantics: false,
    fixtures: fixtures('fail2ban', (r) => /\.(conf|local)$/.test(r), (r) => '/etc/fail2ban/' + r.replace(/^debian-etc\//, '')),
    edit(doc) {
      const d = doc as Fail2banDocument;
      const section = d.toJSON().sections[0]?.name ?? 'Definition';
      d.set(section, 'fwconfprobe', '1');
      return { removed: 1, added: 1 };
    },
    unreadable: { before: '[Definition]\nfailregex = x\n', line: 'this line has no separator\n', after: 'ignoreregex =\n' },
  },
  'iptables-save': {
    render: { input: { tables: [{ name: 'filter', chains: [{ name: 'INPUT', policy: 'DROP' }, { name: 'f2b-thp-ssh', policy: '-' }], rules: [{ chain: 'INPUT', args: '-p tcp -m tcp --dport 2201 -j ACCEPT' }] }] } },
    editChangesSemantics: true,
    fixtures: fixtures('iptables', (r) => /\.ip6?tables-save$/.test(r) || r.startsWith('input/'), (r) => '/etc/iptables/' + r.replace(/^input\//, '')),
    edit(doc) {
      const d = doc as IptablesDocument;
      const table = d.toJSON().tables.find((t) => t.name === 'filter') ?? d.toJSON().tables[0]!;
      const chain = table.chains[0]!.name;
      d.appendRule(table.name, chain, '-s 192.0.2.1/32 -j ACCEPT');
      return { removed: 1, added: 2 };
    },
    unreadable: { before: '*filter\n:INPUT ACCEPT [0:0]\n', line: 'garbage line\n', after: '-A INPUT -j ACCEPT\nCOMMIT\n' },
  },
  'ufw-status': {
    render: { input: UFW_STATE },
    editChangesSemantics: true,
    fixtures: fixtures('ufw', (r) => /\.txt$/.test(r), (r) => 'ufw-status-' + r.replace(/\//g, '-')),
    edit(doc) {
      const d = doc as UfwStatusDocument;
      d.insertRule(
        { action: 'allow', log: null, proto: 'tcp', dst: null, dport: '4242', dapp: null, src: null, sport: null, sapp: null, direction: 'in', route: false, interfaceIn: null, interfaceOut: null, v6: false, comment: null },
        d.rules[0],
        d.mode === 'numbered' ? 2 : undefined,
      );
      return { removed: 1, added: 2 };
    },
    unreadable: {
      before: 'Status: active\n\nTo                         Action      From\n--                         ------      ----\n22/tcp                     ALLOW       Anywhere\n',
      line: 'this is no rule\n',
      after: '80/tcp                     ALLOW       Anywhere\n',
    },
  },
  thpot: {
    render: { input: [{ month: 'Feb', day: 29, time: '13:02:10', sid: '56D4334221165', service: 'nullresp', pid: 4837, src: '192.0.2.9', spt: 4000 }] },
    editChangesSemantics: true,
    fixtures: fixtures('thpot', (r) => /^captures[^.]*$/.test(r), (r) => '/var/log/thpot/' + r.replace(/-.*/, '')),
    edit(doc) {
      (doc as CaptureLog).append({ month: 'Feb', day: 29, time: '13:02:10', sid: '56D4334221165', service: 'nullresp', pid: 4837, src: '192.0.2.9', spt: 4000 });
      return { removed: 1, added: 2 };
    },
    unreadable: { before: 'Feb 29 13:02:11 SID=56D43343.nullresp PID=4838 SRC=192.168.88.242 SPT=47188\n', line: 'no capture here\n', after: 'Feb 29 13:03:20 SID=56D433885.shell PID=4901 SRC=203.0.113.7 SPT=40022 BYTES=512\n' },
  },
  'ufw-rules': {
    render: { input: UFW_STATE, options: { file: '/etc/ufw/user.rules' } },
    editChangesSemantics: true,
    fixtures: fixtures('ufw-files', (r) => /\.rules(\.\d{8}_\d{6})?$/.test(r), (r) => '/etc/ufw/' + r.split('/').pop()),
    edit(doc) {
      const d = doc as UfwRulesDocument;
      if (d.kind === 'user') {
        d.addRule(ruleSpec({ action: 'allow', proto: 'tcp', dport: '4242', v6: d.v6 }));
        return { removed: 1, added: 3 };
      }
      d.appendChainRule(d.toJSON().chains[0]!, '-p tcp --dport 4242 -j ACCEPT');
      return { removed: 1, added: 1 };
    },
    unreadable: { before: '*filter\n:ufw-user-input - [0:0]\n', line: 'garbage line\n', after: 'COMMIT\n' },
  },
  'ufw-conf': {
    render: { input: { ENABLED: 'yes', LOGLEVEL: 'medium' }, options: { file: '/etc/ufw/ufw.conf' } },
    editChangesSemantics: true,
    fixtures: fixtures('ufw-files', (r) => /(^|\/)(ufw\.conf|default\/ufw)$/.test(r), (r) => (r.endsWith('ufw.conf') ? '/etc/ufw/ufw.conf' : '/etc/default/ufw')),
    edit(doc) {
      (doc as UfwConfDocument).set('LOGLEVEL', 'high');
      return { removed: 1, added: 1 };
    },
    unreadable: { before: 'ENABLED=no\n', line: 'this is not an assignment\n', after: 'LOGLEVEL=low\n' },
  },
  'ufw-app': {
    render: { input: [{ name: 'OpenSSH', title: 'Secure shell server, an rshd replacement', description: 'OpenSSH is a free implementation of the Secure Shell protocol.', ports: ['22/tcp'] }, { name: 'thpot', title: 'honeypot', ports: ['22/tcp', '2222'] }], options: { file: '/etc/ufw/applications.d/fwconf' } },
    editChangesSemantics: true,
    fixtures: [...fixtures('ufw-files', (r) => r.startsWith('applications.d/')), ...fixtures('ufw', (r) => r.startsWith('applications.d/'))].map((f) => ({ ...f, path: '/etc/ufw/' + f.path })),
    edit(doc) {
      const d = doc as UfwAppDocument;
      d.set(d.profiles()[0]!.name, 'title', 'fwconf probe');
      return { removed: 1, added: 1 };
    },
    unreadable: { before: '[WWW]\ntitle=Web\n', line: 'no separator here\n', after: 'ports=80/tcp\n' },
  },
  'fail2ban-log': {
    render: { input: [{ timestamp: '2016-02-29 13:54:07,001', logger: 'fail2ban.actions', pid: 6102, level: 'NOTICE', message: '[thp-ssh] Ban 192.0.2.9' }] },
    editChangesSemantics: true,
    fixtures: fixtures('fail2ban-log', (r) => /fail2ban\.log$/.test(r), () => '/var/log/fail2ban.log'),
    edit(doc) {
      (doc as Fail2banLog).append({ timestamp: '2016-02-29 13:54:07,001', logger: 'fail2ban.actions', pid: 6102, level: 'NOTICE', message: '[thp-ssh] Ban 192.0.2.9' });
      return { removed: 1, added: 2 };
    },
    unreadable: {
      before: "2016-02-29 13:54:06,915 fail2ban.jail           [6102]: INFO    Creating new jail 'thp-ssh'\n2016-02-29 13:54:06,916 fail2ban.jail           [6102]: INFO    Jail 'thp-ssh' uses poller {}\n",
      line: 'no header here\n',
      after: "2016-02-29 13:54:06,940 fail2ban.jail           [6102]: INFO    Jail 'thp-ssh' started\n",
    },
  },
};

/** Lines of a text, each with its line ending. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** How many lines differ between two texts, outside their common first and last lines. */
function changed(a: string, b: string): { removed: number; added: number } {
  // A line appended after a last line without a newline gives that line one: not a change of it.
  const x = lines(a).map((l) => l.replace(/\r?\n$/, ''));
  const y = lines(b).map((l) => l.replace(/\r?\n$/, ''));
  let p = 0;
  while (p < x.length && p < y.length && x[p] === y[p]) p++;
  let s = 0;
  while (s < x.length - p && s < y.length - p && x[x.length - 1 - s] === y[y.length - 1 - s]) s++;
  return { removed: x.length - p - s, added: y.length - p - s };
}

/** True when a value survives JSON unchanged: no class instances, functions, undefined or non-finite numbers. */
function plainData(v: unknown, where = '$'): string | null {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? null : `${where} is ${v}`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = plainData(v[i], `${where}[${i}]`);
      if (r) return r;
    }
    return null;
  }
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return `${where} is a ${proto?.constructor?.name}`;
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue; // JSON drops it, as plain data may
      const r = plainData(x, `${where}.${k}`);
      if (r) return r;
    }
    return null;
  }
  return `${where} is a ${typeof v}`;
}

describe.each(FORMAT_NAMES.map((n) => [n] as const))('format %s', (name) => {
  const format = formats[name];
  const c = CASES[name];

  it('has fixtures', () => {
    expect(c.fixtures.length).toBeGreaterThan(0);
  });

  it('scores detect on the 0–3 scale, its own files highest', () => {
    for (const f of c.fixtures) {
      for (const file of [f.path, undefined]) {
        const scores = FORMAT_NAMES.map((n) => formats[n].detect(file, f.text));
        for (const s of scores) expect([0, 1, 2, 3]).toContain(s);
        const own = format.detect(file, f.text);
        // content alone is 1, name alone 2, both 3
        expect(own, `${f.file} as ${file}`).toBe(file === undefined ? 1 : 3);
        for (const n of FORMAT_NAMES) if (n !== name) expect(formats[n].detect(file, f.text), `${n} on ${f.file} as ${file}`).toBeLessThan(own);
      }
      expect(format.detect(f.path, '')).toBe(2);
    }
    expect(format.detect(undefined, '')).toBe(0);
  });

  it('prints every fixture back byte for byte', () => {
    for (const f of c.fixtures) expect(format.parse(f.text, { file: f.file }).toString()).toBe(f.text);
  });

  it('prints generated text back byte for byte', () => {
    const sample = [...new Set(c.fixtures.flatMap((f) => lines(f.text)).map((l) => l.replace(/\r?\n$/, '')))].slice(0, 400);
    const line = fc.oneof(fc.constantFrom(...sample, c.unreadable.line.trimEnd(), '', '#'), fc.string({ maxLength: 30 }), fc.string({ unit: fc.constantFrom(' ', '\t', '=', '#', '[', ']', '{', '}', '"', 'a', '\r', '\0') }));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (ls, eol, final) => {
        const text = ls.join(eol) + (final && ls.length ? eol : '');
        const doc = format.parse(text);
        expect(doc.toString()).toBe(text);
        expect(plainData(JSON.parse(JSON.stringify(doc.toJSON())))).toBeNull();
      }),
      { numRuns: 150 },
    );
  });

  it('gives plain data from toJSON', () => {
    for (const f of c.fixtures) expect(plainData(format.parse(f.text, { file: f.file }).toJSON()), f.file).toBeNull();
  });

  it('edits change only the lines they touch', () => {
    for (const f of c.fixtures) {
      const doc = format.parse(f.text, { file: f.file });
      const limit = c.edit(doc);
      const after = doc.toString();
      expect(after, f.file).not.toBe(f.text);
      const d = changed(f.text, after);
      expect(d.removed, f.file).toBeLessThanOrEqual(limit.removed);
      expect(d.added, f.file).toBeLessThanOrEqual(limit.added);
    }
  });

  it('reports positions of the edited text (as a fresh parse of it does)', () => {
    for (const f of c.fixtures) {
      const doc = format.parse(f.text, { file: f.file });
      c.edit(doc);
      const fresh = format.parse(doc.toString(), { file: f.file });
      expect(JSON.parse(JSON.stringify(doc.toJSON())), f.file).toEqual(JSON.parse(JSON.stringify(fresh.toJSON())));
    }
  });

  if (ON_BASE.includes(name))
    it('records its edits (core LineDocument): they replay the edit and span only the lines it touched', () => {
      for (const f of c.fixtures) {
        const doc = format.parse(f.text, { file: f.file }) as FormatDocument & LineDocument<never>;
        expect(doc, f.file).toBeInstanceOf(LineDocument);
        const limit = c.edit(doc);
        const edits = doc.edits();
        expect(applyEdits(f.text, edits), f.file).toBe(doc.toString());
        expect(edits.length, f.file).toBe(1);
        const e = edits[0]!;
        // The lines the edit covers in the original, and those its text makes.
        const covered = f.text.slice(e.offset, e.offset + e.length).split('\n').length - 1;
        const made = e.content.split('\n').length - 1;
        expect(covered, f.file).toBeLessThanOrEqual(limit.removed);
        expect(made, f.file).toBeLessThanOrEqual(limit.added + 1);
        // Diagnostics moved with their lines: the same as a fresh parse of the edited text gives.
        const fresh = format.parse(doc.toString(), { file: f.file });
        expect(doc.diagnostics, f.file).toEqual(fresh.diagnostics);
      }
    });

  it('gets and puts as its recorded lens cases (fixtures/models: the model of each fixture, and the edits of its simplest edit)', () => {
    for (const f of c.fixtures) {
      const target = join(MODELS, relative(join(ROOT, 'fixtures'), f.file) + '.model.json');
      const get = JSON.parse(JSON.stringify(format.parse(f.text, { file: f.path }).toJSON())) as unknown;
      const doc = format.parse(f.text, { file: f.path }) as FormatDocument & LineDocument<never>;
      c.edit(doc);
      const recorded = { get, put: doc.edits() };
      if (UPDATE_MODELS) {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, JSON.stringify(recorded, null, 1) + '\n');
        continue;
      }
      expect(existsSync(target), `${target} is missing: run npm run fixtures:models and review the diff`).toBe(true);
      expect(recorded, f.file).toEqual(JSON.parse(readFileSync(target, 'utf8')));
    }
  });

  it('renders typed input to a Document that prints back, reads as a fresh parse does, and checks without errors', () => {
    const doc = format.render(c.render.input, c.render.options);
    const text = doc.toString();
    const file = (c.render.options as { file?: string } | undefined)?.file;
    const fresh = format.parse(text, file !== undefined ? { file } : {});
    expect(fresh.toString()).toBe(text);
    expect(JSON.parse(JSON.stringify(doc.toJSON()))).toEqual(JSON.parse(JSON.stringify(fresh.toJSON())));
    expect(format.check(fresh).filter((d) => d.severity === 'error')).toEqual([]);
    const options = c.semantics?.();
    expect(JSON.stringify(format.semantics(doc, options))).toBe(JSON.stringify(format.semantics(fresh, options)));
  });

  it(`computes its semantics (${format.semanticsVerb}) from the Document as it stands: an edit counts as in a fresh parse of the printed text`, () => {
    let changedBy = 0;
    const some = c.fixtures.slice(0, 8);
    for (const f of some) {
      const options = c.semantics?.();
      const doc = format.parse(f.text, { file: f.path });
      const before = JSON.stringify(format.semantics(doc, options));
      c.edit(doc);
      const after = JSON.stringify(format.semantics(doc, options));
      expect(after, f.file).toBe(JSON.stringify(format.semantics(format.parse(doc.toString(), { file: f.path }), options)));
      if (after !== before) changedBy++;
    }
    // Some fixtures' semantics cannot show the edit (a plain `ufw status` shows no whole state; a
    // before.rules chain line is no tuple rule); at least one must.
    if (c.editChangesSemantics) expect(changedBy).toBeGreaterThan(0);
    else expect(changedBy).toBe(0);
  });

  it('keeps an unreadable line verbatim and reports it on its line', () => {
    const u = c.unreadable;
    for (const eol of ['\n', '\r\n']) {
      const text = (u.before + u.line + u.after).replace(/\n/g, eol);
      const doc = format.parse(text, { file: 'f' });
      expect(doc.toString()).toBe(text);
      const line = lines(u.before).length + 1;
      const d = doc.diagnostics.filter((x) => x.line === line);
      expect(d.length, JSON.stringify(doc.diagnostics)).toBeGreaterThan(0);
      expect(d.some((x) => x.severity === 'error' || x.severity === 'warning')).toBe(true);
    }
  });
});

describe('core LineDocument', () => {
  it('is the base of exactly the formats ON_BASE names', () => {
    for (const name of FORMAT_NAMES) {
      const f = CASES[name].fixtures[0]!;
      expect(formats[name].parse(f.text, { file: f.file }) instanceof LineDocument, name).toBe(ON_BASE.includes(name));
    }
  });
});

describe('the unreadable line has one name: unknown', () => {
  it('in fail2ban, ufw, iptables and thpot', () => {
    expect(parseIni('garbage\n[Definition]\nno separator here\n').lines.map((l) => l.kind)).toEqual(['unknown', 'header', 'unknown']);
    expect(ufwLine('this is no rule').kind).toBe('unknown');
    // inside a table iptables-restore reads every line as a rule (a broken rule is a `rule` with errors)
    expect(parseIptables('garbage line\n*filter\nCOMMIT\n').nodes.map((n) => n.kind)).toEqual(['unknown', 'table', 'commit']);
    const log = parseThpot('no capture here\n');
    expect(log.unknown().map((l) => l.text)).toEqual(['no capture here']);
    expect(log.unknown()).toEqual(log.invalid());
  });
});
