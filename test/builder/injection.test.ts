// Hostile strings into every builder: each value either comes back from the format's own parser
// exactly as given (and the file has no error), or is refused with a BuilderError naming its field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BuilderError } from '../../src/builder/errors.js';
import { buildFilterLocal, buildJailLocal } from '../../src/builder/fail2ban.js';
import { buildIptables } from '../../src/builder/iptables.js';
import { buildSshd } from '../../src/builder/sshd.js';
import { buildUfwScript } from '../../src/builder/ufw.js';
import { buildXinetd } from '../../src/builder/xinetd.js';
import { parse as parseIptables, type Rule } from '../../src/iptables/index.js';
import { parse as parseSshd } from '../../src/sshd/parse.js';
import { parse as parseXinetd } from '../../src/xinetd/parse.js';
import { parse as parseFail2ban } from '../../src/fail2ban/index.js';
import { fail2banModel, sshdModel, xinetdModel } from './readback.js';

const hostile = fc.oneof(
  fc.string({ unit: fc.constantFrom('\n', '\r', '\0', '"', "'", '#', ';', '{', '}', '%', '\\', ' ', '\t', '=', '[', ']', 'a', '/', '(', ')', 's', '<', '>') , maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);

/** Runs `build`; a BuilderError must name `field`. Returns the text or undefined when refused. */
function attempt(field: string, build: () => string): string | undefined {
  try {
    return build();
  } catch (e) {
    expect(e).toBeInstanceOf(BuilderError);
    expect((e as BuilderError).field.startsWith(field), `${(e as BuilderError).field} names ${field}`).toBe(true);
    return undefined;
  }
}

const errors = (ds: readonly { severity: string }[]) => ds.filter((d) => d.severity === 'error');

describe('hostile values', () => {
  it('sshd: arguments come back exactly, or are refused', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (banner, user, cmd) => {
        const text = attempt('sshd.settings', () => buildSshd({ settings: { Banner: `/${banner}`, AllowUsers: [user], ForceCommand: cmd } }));
        if (text === undefined) return;
        const doc = parseSshd(text);
        expect(errors(doc.diagnostics)).toEqual([]);
        expect(doc.toString()).toBe(text);
        const m = sshdModel(text);
        expect(m.global[0]).toEqual(['Banner', [`/${banner}`]]);
        expect(m.global[1]).toEqual(['AllowUsers', [user]]);
        expect(m.global[2]![0]).toBe('ForceCommand');
        expect(text.split('\n')[2]).toBe(`ForceCommand ${cmd}`);
      }),
      { numRuns: 300 },
    );
  });

  it('sshd: Match patterns are written or refused, never spill onto the line', () => {
    fc.assert(
      fc.property(hostile, (user) => {
        const text = attempt('sshd.match[0].criteria.user', () => buildSshd({ settings: {}, match: [{ criteria: { user }, settings: { X11Forwarding: 'no' } }] }));
        if (text === undefined) return;
        expect(sshdModel(text).matches).toEqual([{ criteria: [['user', user]], directives: [['X11Forwarding', ['no']]] }]);
      }),
      { numRuns: 300 },
    );
  });

  it('xinetd: words come back exactly, or are refused', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (name, arg, server) => {
        const text = attempt('xinetd.services[0]', () =>
          buildXinetd({ services: [{ name, socket_type: 'stream', protocol: 'tcp', type: 'UNLISTED', port: 2222, wait: false, user: 'nobody', server: `/${server}`, server_args: [arg] }] }),
        );
        if (text === undefined) return;
        const doc = parseXinetd(text);
        expect(doc.toString()).toBe(text);
        const m = xinetdModel(text);
        expect(Object.keys(m)).toEqual([name]);
        expect(m[name]!.server_args).toEqual([arg]);
        expect(m[name]!.server).toEqual([`/${server}`]);
      }),
      { numRuns: 300 },
    );
  });

  it('fail2ban: values come back exactly (a literal % doubled), or are refused', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, fc.array(hostile, { minLength: 1, maxLength: 3 }), (jail, action, lit, regex) => {
        const text = attempt('jail', () => buildJailLocal({ jails: { [jail]: { action, extra: { ignorecommand: { literal: lit } } } } }));
        if (text !== undefined) {
          const doc = parseFail2ban(text);
          expect(errors(doc.diagnostics)).toEqual([]);
          expect(fail2banModel(text)).toEqual({ [jail]: { action, ignorecommand: lit.replace(/%/g, '%%') } });
        }
        const filter = attempt('filter.failregex', () => buildFilterLocal({ failregex: regex }));
        if (filter !== undefined) expect(fail2banModel(filter)).toEqual({ Definition: { failregex: regex.join('\n') } });
      }),
      { numRuns: 300 },
    );
  });

  it('ufw: comments and addresses are shell-quoted or refused', () => {
    fc.assert(
      fc.property(hostile, hostile, (comment, from) => {
        const text = attempt('ufw.rules[0]', () => buildUfwScript({ rules: [{ action: 'allow', port: 22, proto: 'tcp', comment, from }] }));
        if (text === undefined) return;
        // The only non-fixed text is the comment; it sits in one shell word on one line.
        expect(text.split('\n').filter((l) => l.startsWith('ufw allow'))).toHaveLength(2);
        expect(text).not.toContain('\n\n\n');
      }),
      { numRuns: 300 },
    );
  });

  it('iptables: comments and log prefixes come back exactly, or are refused', () => {
    fc.assert(
      fc.property(hostile, hostile, (comment, prefix) => {
        const text = attempt('iptables.rules', () =>
          buildIptables({ rules: [{ chain: 'INPUT', protocol: 'tcp', dport: 22, comment, target: 'ACCEPT' }, { chain: 'INPUT', logPrefix: prefix, target: 'LOG' }] }),
        );
        if (text === undefined) return;
        const doc = parseIptables(text);
        expect(errors(doc.diagnostics)).toEqual([]);
        expect(doc.toString()).toBe(text);
        expect(text.split('\n')).toHaveLength(8);
        const [accept, log] = (doc.toJSON() as unknown as { tables: { rules: Rule[] }[] }).tables[0]!.rules;
        expect(accept!.matches.find((m) => m.name === 'comment')!.options).toEqual([{ name: 'comment', args: [comment], negated: false }]);
        expect(log!.target!.options).toEqual([{ name: 'log-prefix', args: [prefix], negated: false }]);
      }),
      { numRuns: 300 },
    );
  });
});
