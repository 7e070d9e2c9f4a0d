import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, expandRule, parse, renderStatus, type UfwRuleSpec, type UfwState } from '../../src/ufw/index.js';
import { TRANSLATIONS } from '../../src/ufw/translations.js';
import { statusText } from '../../src/ufw/layout.js';
import { ruleTable } from '../../src/ufw/layout.js';

const profiles = new Map([
  ['OpenSSH', { name: 'OpenSSH', ports: ['22/tcp'] }],
  ['Nginx Full', { name: 'Nginx Full', ports: ['80,443/tcp'] }],
  ['Multi', { name: 'Multi', ports: ['1000:1010/tcp', '2000/udp'] }],
]);

const specArb: fc.Arbitrary<UfwRuleSpec[]> = fc
  .record({
    action: fc.constantFrom('allow', 'deny', 'reject', 'limit'),
    direction: fc.constantFrom('in', 'out'),
    route: fc.boolean(),
    iface: fc.option(fc.constantFrom('eth0', 'wg0', 'veth.1'), { nil: undefined }),
    from: fc.option(fc.constantFrom('10.0.0.0/8', '203.0.113.7', '2001:db8::/48', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1'), { nil: undefined }),
    port: fc.option(fc.constantFrom('22', '80,443', '6000:6007'), { nil: undefined }),
    proto: fc.option(fc.constantFrom('tcp', 'udp'), { nil: undefined }),
    app: fc.option(fc.constantFrom('OpenSSH', 'Nginx Full', 'Multi'), { nil: undefined }),
    log: fc.option(fc.constantFrom('log', 'log-all'), { nil: undefined }),
    comment: fc.option(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\n\r']/.test(s) && s.trim() === s), { nil: undefined }),
  })
  .map((g) => {
    const app = g.app !== undefined && g.port === undefined ? g.app : undefined;
    return expandRule(
      {
        action: g.action as 'allow',
        direction: g.direction as 'in',
        route: g.route,
        ...(g.iface ? (g.direction === 'out' ? { interfaceOut: g.iface } : { interfaceIn: g.iface }) : {}),
        ...(g.from ? { from: g.from } : {}),
        ...(g.port ? { port: g.port, proto: g.proto ?? 'tcp' } : app ? { app } : g.proto ? { proto: g.proto } : {}),
        ...(g.log ? { log: g.log as 'log' } : {}),
        ...(g.comment ? { comment: g.comment } : {}),
      },
      profiles,
    );
  });

const stateArb: fc.Arbitrary<UfwState> = fc.record({
  status: fc.constant('active' as const),
  logging: fc.constantFrom({ state: 'on' as const, level: 'low' as const }, { state: 'off' as const, level: null }, { state: 'unknown' as const, level: null }),
  defaults: fc.record({ incoming: fc.constantFrom('allow', 'deny', 'reject'), outgoing: fc.constantFrom('allow', 'deny', 'reject'), routed: fc.constantFrom('allow', 'deny', 'reject', 'disabled') }) as fc.Arbitrary<UfwState['defaults']>,
  newProfiles: fc.constantFrom('allow', 'deny', 'reject', 'skip') as fc.Arbitrary<UfwState['newProfiles']>,
  rules: fc.array(specArb, { maxLength: 12 }).map((x) => x.flat()),
});

describe('ufw-status properties', () => {
  it('arbitrary text never throws and always prints back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const doc = parse(s);
        expect(doc.toString()).toBe(s);
        check(doc);
        JSON.stringify(doc.toJSON());
      }),
      { numRuns: 400 },
    );
  });

  it('lines of real shapes mixed with noise, CRLF, BOM and no final newline print back', () => {
    const line = fc.oneof(
      fc.constantFrom('Status: active', 'Logging: on (low)', '', '22/tcp                     ALLOW IN    Anywhere                  ', '[ 1] OpenSSH                    ALLOW IN    Anywhere                  ', 'To                         Action      From'),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.boolean(), (ls, eol, bom, final) => {
        const text = (bom ? '\uFEFF' : '') + ls.join(eol) + (final ? eol : '');
        expect(parse(text).toString()).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('every mode of a rendered state parses back to its rules, without diagnostics', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        for (const mode of ['plain', 'verbose', 'numbered'] as const) {
          const text = statusText(state, mode);
          const doc = parse(text);
          expect(doc.toString()).toBe(text);
          expect(check(doc)).toEqual([]);
          expect(doc.mode).toBe(mode === 'numbered' && state.rules.length === 0 ? 'plain' : mode);
          if (mode === 'verbose') expect(statusText(doc.state()!, 'verbose')).toBe(text);
        }
        expect(renderStatus(state).toString()).toBe(statusText(state, 'verbose'));
      }),
      { numRuns: 200 },
    );
  });

  it('removing a rule changes only its line', () => {
    fc.assert(
      fc.property(stateArb, fc.nat(), (state, k) => {
        const text = statusText(state, 'verbose');
        const doc = parse(text);
        const rules = doc.rules;
        if (rules.length === 0) return;
        const victim = rules[k % rules.length]!;
        doc.removeRule(victim);
        const lines = text.split('\n');
        lines.splice(victim.line - 1, 1);
        expect(doc.toString()).toBe(lines.join('\n'));
      }),
      { numRuns: 100 },
    );
  });

  it('an inserted rule is printed as ufw prints it', () => {
    const doc = parse('Status: active\n\nTo                         Action      From\n--                         ------      ----\n22/tcp                     ALLOW       Anywhere                  \n\n');
    const [spec] = expandRule({ action: 'limit', port: '2201', proto: 'tcp', comment: 'ssh alt' });
    const r = doc.insertRule(spec!);
    expect(doc.toString()).toContain('22/tcp                     ALLOW       Anywhere                  \n2201/tcp                   LIMIT       Anywhere                   # ssh alt\n\n');
    expect(r).toMatchObject({ line: 6, action: 'limit', comment: 'ssh alt' });
  });
});

describe('translated output', () => {
  it('reads the labels of ufw catalogues and says so', () => {
    const table = ruleTable(expandRule({ action: 'allow', port: '22', proto: 'tcp' }), 'plain', { to: 'Vers', action: 'Action', from: 'De' });
    const fr = `${TRANSLATIONS.fr!.statusActive}${table}\n`;
    const doc = parse(fr);
    expect(doc.toString()).toBe(fr);
    expect(doc.status).toBe('active');
    expect(doc.language).toBe('fr');
    expect(doc.rules).toHaveLength(2);
    expect(doc.diagnostics.map((d) => [d.code, d.severity])).toEqual([['ufw/localized-output', 'warning']]);
  });

  it('reads the one Japanese line ufw ships (New profiles)', () => {
    const text = 'Status: active\nLogging: on (low)\nDefault: deny (incoming), allow (outgoing), disabled (routed)\n新しいプロファイル: skip\n';
    const doc = parse(text);
    expect(doc.newProfiles).toBe('skip');
    expect(doc.language).toBe('ja');
  });

  it('asks for LANG=C when a translated line cannot be read', () => {
    const doc = parse('状態: アクティブ\n\nTo                         Action      From\n');
    expect(doc.toString()).toBe('状態: アクティブ\n\nTo                         Action      From\n');
    const d = doc.diagnostics.find((x) => x.code === 'ufw/localized-output')!;
    expect(d).toMatchObject({ severity: 'error', line: 1, column: 1 });
    expect(d.message).toContain('LANG=C ufw status');
  });
});
