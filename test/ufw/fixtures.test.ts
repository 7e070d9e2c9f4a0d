import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, parse, ruleToSpec } from '../../src/ufw/index.js';
import { ruleLine, statusText } from '../../src/ufw/layout.js';

const dir = join(import.meta.dirname, '../../fixtures/ufw');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

describe('ufw-status fixtures (real ufw 0.36.2 output)', () => {
  it('has fixtures', () => expect(fixtures.length).toBeGreaterThan(8));
  for (const f of fixtures) {
    const text = readFileSync(join(dir, f), 'utf8');
    it(`${f}: parses without diagnostics and prints back byte for byte`, () => {
      const doc = parse(text, { file: f });
      expect(doc.toString()).toBe(text);
      expect(doc.diagnostics).toEqual([]);
      expect(check(doc)).toEqual([]);
    });
    it(`${f}: every rule line re-renders from its model`, () => {
      const doc = parse(text);
      const mode = doc.mode ?? 'plain';
      const lines = text.split('\n');
      for (const r of doc.rules) {
        if (mode !== 'verbose' && (r.to.app || r.from.app)) continue; // ports of app rules are not shown
        expect(ruleLine(ruleToSpec(r), mode, r.number ?? undefined)).toBe(lines[r.line - 1]);
      }
    });
    if (f.endsWith('-verbose.txt'))
      it(`${f}: the state renders back to the same text`, () => {
        const st = parse(text).state();
        expect(st).toBeDefined();
        expect(statusText(st!, 'verbose')).toBe(text);
      });
  }

  it('reads the typed model of the verbose fixture', () => {
    const doc = parse(readFileSync(join(dir, 'many-verbose.txt'), 'utf8'));
    expect(doc.toJSON()).toMatchObject({ status: 'active', mode: 'verbose', logging: { state: 'on', level: 'high' } });
    expect(doc.defaults).toEqual({ incoming: 'reject', outgoing: 'allow', routed: 'disabled' });
    expect(doc.newProfiles).toBe('allow');
    const fwd = doc.rules.find((r) => r.to.address === '192.168.1.10')!;
    expect(fwd).toMatchObject({
      action: 'allow', direction: 'fwd', v6: false, proto: 'tcp', interfaceIn: 'eth0', interfaceOut: 'eth1', comment: null, number: null,
      to: { text: '192.168.1.10 443/tcp on eth1', address: '192.168.1.10', port: '443', proto: 'tcp', interface: 'eth1', app: null },
      from: { text: 'Anywhere on eth0', address: null, port: null, interface: 'eth0' },
    });
    const mysql = doc.rules.find((r) => r.to.port === '3306')!;
    expect(mysql).toMatchObject({ action: 'deny', log: 'log-all', comment: 'mysql ünï # hash (log)', from: { address: '203.0.113.7' } });
    const nginx6 = doc.rules.find((r) => r.to.app === 'Nginx Full' && r.v6)!;
    expect(nginx6.to).toMatchObject({ port: '80,443', proto: 'tcp', app: 'Nginx Full', text: '80,443/tcp (Nginx Full (v6))' });
    const long = doc.rules.find((r) => r.to.port === '12345')!;
    expect(long).toMatchObject({ v6: true, to: { address: '2001:db8:aaaa:bbbb:cccc:dddd:eeee:2' }, from: { address: '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1' } });
  });

  it('reads numbers and (out) in numbered mode', () => {
    const doc = parse(readFileSync(join(dir, 'many-numbered.txt'), 'utf8'));
    expect(doc.mode).toBe('numbered');
    expect(doc.rules.map((r) => r.number)).toEqual(doc.rules.map((_, i) => i + 1));
    const out = doc.rules.find((r) => r.to.text === '9999')!;
    expect(out).toMatchObject({ direction: 'out', log: 'log', actionText: 'REJECT OUT' });
    expect(doc.rule(2)?.to.app).toBe('OpenSSH');
    const h = parse(readFileSync(join(dir, 'hundred-numbered.txt'), 'utf8'));
    expect(h.rule(100)?.to.port).toBe('1044');
  });
});
