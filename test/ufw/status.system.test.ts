// System tests against the real ufw (Debian's 0.36.2), each in its own network namespace with a
// private ufw tree (--rootdir/--datadir): the host's firewall and /etc/ufw are never touched.
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, expandRule, parse, parseAppProfiles, planRules, renderScript, ruleToSpec, type UfwAppProfile, type UfwRuleInput, type UfwRuleSpec, type UfwState } from '../../src/ufw/index.js';
import { ruleKey } from '../../src/ufw/commands.js';
import { statusOrder, statusText } from '../../src/ufw/layout.js';
import { readFileSync } from 'node:fs';
import { privateUfwTree, ufwRuleWords } from '../ufw-tree.js';
import { NetNamespace } from '../netns.js';

const APPS_FILE = join(import.meta.dirname, '../../fixtures/ufw/applications.d/fwconf-test');
const profiles = new Map<string, UfwAppProfile>(
  [...parseAppProfiles(readFileSync(APPS_FILE, 'utf8')), ...parseAppProfiles(readFileSync('/etc/ufw/applications.d/openssh-server', 'utf8'))].map((p) => [p.name, p]),
);

let ns: NetNamespace;
let root = '';

/** Runs a shell script in the namespace, `ufw` meaning the real ufw on the private tree; resolves with its stdout. */
function sh(script: string): Promise<string> {
  const wrapped = `ufw() { /usr/sbin/ufw --rootdir='${root}' --datadir='${root}' "$@"; }\nset -e\n${script}\n`;
  return ns.run(['sh', '-c', wrapped]);
}

const status = (form: '' | 'verbose' | 'numbered') => sh(`ufw status ${form} 2>/dev/null`);

beforeAll(async () => {
  ns = await NetNamespace.create('ufw');
  root = mkdtempSync(join(tmpdir(), 'fwconf-ufw-'));
  chmodSync(root, 0o755);
  privateUfwTree(root);
  cpSync(APPS_FILE, join(root, 'etc/ufw/applications.d/fwconf-test'));
});

afterAll(async () => {
  try {
    await ns?.delete();
  } finally {
    if (root) rmSync(root, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Random rule sets, written as ufw commands by test/ufw-tree.ts (independently of src/ufw/commands.ts).


const v4 = fc.constantFrom('203.0.113.7', '198.51.100.0/24', '10.0.0.0/8', '192.0.2.1', '10.9.0.0/255.0.255.0');
const v6 = fc.constantFrom('2001:db8::1', '2001:db8::/48', 'fe80::/10', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:2');
const iface = fc.constantFrom('eth0', 'eth1', 'wg0', 'br-lan', 'veth.1');
const port = fc.constantFrom('22', '80', '443', '2201', '53', '60000:61000', '80,443', '8080:8090,9000');
const comment = fc.option(fc.constantFrom('ssh alt', 'mosh', 'ünï # hash', 'web (log)', 'x'), { nil: undefined });

const ruleInput: fc.Arbitrary<UfwRuleInput> = fc
  .record({
    action: fc.constantFrom('allow', 'deny', 'reject', 'limit') as fc.Arbitrary<UfwRuleInput['action']>,
    kind: fc.constantFrom('in', 'out', 'route'),
    ifIn: fc.option(iface, { nil: undefined }),
    ifOut: fc.option(iface, { nil: undefined }),
    fam: fc.constantFrom('any', 'any', 'v4', 'v6', 'pin4', 'pin6'),
    addr4: fc.tuple(fc.option(v4, { nil: undefined }), fc.option(v4, { nil: undefined })),
    addr6: fc.tuple(fc.option(v6, { nil: undefined }), fc.option(v6, { nil: undefined })),
    what: fc.constantFrom('port', 'port', 'proto-port', 'portless', 'app', 'app2', 'sport', 'none'),
    port,
    proto: fc.constantFrom('tcp', 'udp'),
    portless: fc.constantFrom('esp', 'gre', 'ah', 'vrrp'),
    app: fc.constantFrom('OpenSSH', 'Nginx Full', 'Multi', 'DNSX'),
    log: fc.option(fc.constantFrom('log', 'log-all') as fc.Arbitrary<'log' | 'log-all'>, { nil: undefined }),
    comment,
  })
  .map((g) => {
    const r: UfwRuleInput = { action: g.action };
    if (g.kind === 'route') {
      r.route = true;
      if (g.ifIn) r.interfaceIn = g.ifIn;
      if (g.ifOut) r.interfaceOut = g.ifOut;
    } else if (g.kind === 'out') {
      r.direction = 'out';
      if (g.ifOut) r.interfaceOut = g.ifOut;
    } else if (g.ifIn) r.interfaceIn = g.ifIn;
    const [from, to] = g.fam === 'v4' ? g.addr4 : g.addr6;
    if (g.fam === 'v4' || g.fam === 'v6') {
      if (from) r.from = from;
      if (to) r.to = to;
    }
    if (g.fam === 'pin4') r.family = 'v4';
    if (g.fam === 'pin6') r.family = 'v6';
    const multi = /[,:]/.test(g.port);
    switch (g.what) {
      case 'port':
        r.port = g.port;
        if (multi) r.proto = g.proto;
        break;
      case 'proto-port':
        r.port = g.port;
        r.proto = g.proto;
        break;
      case 'portless':
        r.proto = g.portless;
        break;
      case 'app':
        r.app = g.app;
        break;
      case 'app2':
        r.app = g.app;
        r.fromApp = 'DNSX';
        break;
      case 'sport':
        r.fromPort = g.port;
        r.port = '67';
        r.proto = g.proto;
        break;
      case 'none':
        break;
    }
    if (g.log) r.log = g.log;
    if (g.comment) r.comment = g.comment;
    return r;
  });

/** What ufw stores after the commands (ufw skips a rule it already has, and updates one that differs only in action, log or comment: keep those out). */
function applyInputs(inputs: UfwRuleInput[]): { commands: string[]; rules: UfwRuleSpec[] } {
  const seen = new Set<string>();
  const commands: string[] = [];
  const rules: UfwRuleSpec[] = [];
  for (const input of inputs) {
    const specs = expandRule(input, profiles);
    const keys = specs.map((s) => ruleKey({ ...s, action: 'allow', log: null, comment: null }));
    if (keys.some((k) => seen.has(k))) continue;
    keys.forEach((k) => seen.add(k));
    commands.push('ufw ' + ufwRuleWords(input));
    rules.push(...specs);
  }
  return { commands, rules };
}

const stateArb = fc.record({
  inputs: fc.array(ruleInput, { minLength: 4, maxLength: 12 }),
  incoming: fc.constantFrom('allow', 'deny', 'reject') as fc.Arbitrary<'allow' | 'deny' | 'reject'>,
  outgoing: fc.constantFrom('allow', 'deny', 'reject') as fc.Arbitrary<'allow' | 'deny' | 'reject'>,
  routed: fc.constantFrom('allow', 'deny', 'reject') as fc.Arbitrary<'allow' | 'deny' | 'reject'>,
  forwarding: fc.boolean(),
  logging: fc.constantFrom('off', 'low', 'medium', 'high', 'full'),
  apps: fc.constantFrom('allow', 'deny', 'reject', 'skip') as fc.Arbitrary<'allow' | 'deny' | 'reject' | 'skip'>,
});

const printedOrder = (rules: UfwRuleSpec[]) => {
  const g = (r: UfwRuleSpec) => (r.route ? 2 : r.direction === 'out' ? 1 : 0);
  return [0, 1, 2].flatMap((x) => statusOrder(rules.filter((r) => g(r) === x)));
};

describe('ufw-status against the real ufw', () => {
  // Each run calls ufw about 60 times (a reset, the defaults, up to 12 rules, enable, three statuses, the
  // script's reset and rules, the plan's commands; a command on an active firewall reloads its rules):
  // ~0.3 s of CPU each, so 3 runs are ~20 s alone, and up to ~150 s when the suite's two test processes
  // share two cores with two busy ones. The bound is 300 s.
  it('random rule sets: parse, model, round trip, then the script recreates `ufw status verbose` byte for byte, and plans reach a new set', async () => {
    let runs = 0;
    let rulesSeen = 0;
    await fc.assert(
      fc.asyncProperty(stateArb, stateArb, async (s, next) => {
        runs++;
        const applied = applyInputs(s.inputs);
        await sh(
          [
            'ufw --force reset >/dev/null 2>&1',
            `sysctl -qw net.ipv4.ip_forward=${s.forwarding ? 1 : 0}`,
            `ufw default ${s.incoming} incoming >/dev/null 2>&1`,
            `ufw default ${s.outgoing} outgoing >/dev/null 2>&1`,
            `ufw default ${s.routed} routed >/dev/null 2>&1`,
            `ufw logging ${s.logging} >/dev/null 2>&1`,
            `ufw app default ${s.apps} >/dev/null 2>&1`,
            ...applied.commands.map((c) => `${c} >/dev/null`),
            'ufw --force enable >/dev/null 2>&1',
          ].join('\n'),
        );
        const expected: UfwState = {
          status: 'active',
          logging: s.logging === 'off' ? { state: 'off', level: null } : { state: 'on', level: s.logging as 'low' },
          defaults: { incoming: s.incoming, outgoing: s.outgoing, routed: s.forwarding ? s.routed : 'disabled' },
          newProfiles: s.apps,
          rules: applied.rules,
        };
        rulesSeen += applied.rules.length;
        const verbose = await status('verbose');
        const plain = await status('');
        const numbered = await status('numbered');
        // The formatter agrees with ufw, for the rules we applied.
        expect(verbose).toBe(statusText(expected, 'verbose'));
        expect(plain).toBe(statusText(expected, 'plain'));
        expect(numbered).toBe(statusText(expected, 'numbered'));
        for (const text of [verbose, plain, numbered]) {
          const doc = parse(text);
          expect(doc.toString()).toBe(text);
          expect(check(doc)).toEqual([]);
        }
        // The model is the rules applied.
        const vdoc = parse(verbose);
        expect(vdoc.state()).toEqual({ ...expected, rules: printedOrder(expected.rules) });
        const ndoc = parse(numbered);
        const keyNoPorts = (r: UfwRuleSpec) => ruleKey(r.dapp || r.sapp ? { ...r, dport: null, sport: null, proto: null } : r);
        const collapsedKeys = [...new Set(statusOrder(expected.rules).map(keyNoPorts))];
        expect(ndoc.specs().map(keyNoPorts)).toEqual(collapsedKeys);
        expect(ndoc.rules.map((r) => r.number)).toEqual(ndoc.rules.map((_, i) => i + 1));

        // The script, run on this ufw (it resets first), recreates the same `status verbose`.
        const script = renderScript(vdoc.state()!);
        await sh(script.replace(/^ufw /gm, 'ufw ').split('\n').map((l) => (l.startsWith('ufw ') ? `${l} >/dev/null 2>&1` : l)).join('\n'));
        expect(await status('verbose')).toBe(verbose);

        // A plan from this numbered status to another rule set.
        const target = applyInputs(next.inputs).rules;
        const current = ndoc.rules.map((r) => ({ ...ruleToSpec(r), number: r.number }));
        const plan = planRules(current, printedOrder(target));
        expect(plan.problems).toEqual([]);
        await sh(plan.commands.map((c) => `${c.text} >/dev/null`).join('\n'));
        expect(await status('verbose')).toBe(statusText({ ...expected, rules: target }, 'verbose'));
      }),
      { numRuns: 3, endOnFailure: true },
    );
    expect(runs).toBe(3);
    expect(rulesSeen).toBeGreaterThan(6);
  }, 300_000);
});

describe('ufw script against a reset in the same second', () => {
  it('still resets when the backups of this second already exist (a second run within one second)', async () => {
    const state: UfwState = {
      status: 'active',
      logging: { state: 'on', level: 'low' },
      defaults: { incoming: 'deny', outgoing: 'allow', routed: 'disabled' },
      newProfiles: 'skip',
      rules: [],
    };
    const wanted: UfwState = { ...state, rules: parse('Status: active\n\nTo                         Action      From\n--                         ------      ----\n2201/tcp                   ALLOW       Anywhere\n2201/tcp (v6)              ALLOW       Anywhere (v6)\n').specs() };
    const script = renderScript(wanted);
    // Start just after a second boundary, then leave what a reset earlier in this second leaves
    // (ufw's backup names carry the second), so the script's own reset meets "already exists".
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
    const out = await sh(`sysctl -qw net.ipv4.ip_forward=0; ext=$(date +%Y%m%d_%H%M%S); touch '${root}/etc/ufw/user.rules.'$ext '${root}/etc/ufw/user6.rules.'$ext\n${script.split('\n').map((l) => (l.startsWith('ufw ') ? `${l} >/dev/null 2>&1` : l)).join('\n')}\necho ok $ext`);
    expect(out.trim().split('\n').at(-1)).toMatch(/^ok \d{8}_\d{6}$/);
    expect(await status('verbose')).toBe(statusText(wanted, 'verbose'));
  }, 30_000);
});
