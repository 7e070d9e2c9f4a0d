// renderRules: the rule file of a state holds that family's rules (as tuples ufw reads back), the logging
// rules of the state's level, no finding, and is the file renderUfwFiles gives for the same state.
import { describe, expect, it } from 'vitest';
import { ruleSpec, type UfwState } from '../../src/ufw/model.js';
import { checkRules } from '../../src/ufw-rules/check.js';
import { parseRules } from '../../src/ufw-rules/parse.js';
import { renderRules } from '../../src/ufw-rules/render.js';
import { tupleText } from '../../src/ufw-rules/tuple.js';
import { renderUfwFiles } from '../../src/ufw-files/render.js';

const state = (level: 'low' | 'full' | null): UfwState => ({
  status: 'active',
  logging: level === null ? { state: 'off', level: null } : { state: 'on', level },
  defaults: { incoming: 'deny', outgoing: 'allow', routed: 'disabled' },
  newProfiles: 'skip',
  rules: [
    ruleSpec({ action: 'allow', dport: '22', proto: 'tcp' }),
    ruleSpec({ action: 'limit', dport: '22', proto: 'tcp', v6: true }),
    ruleSpec({ action: 'deny', src: '10.0.0.0/8', log: 'log', comment: 'lan' }),
  ],
});

describe('renderRules', () => {
  it.each([null, 'low', 'full'] as const)('logging %s: each family gets its own rules, no finding, the file renderUfwFiles writes', (level) => {
    const s = state(level);
    const files = renderUfwFiles(s);
    for (const [file, v6] of [['user.rules', false], ['user6.rules', true]] as const) {
      const doc = renderRules(s, { file });
      expect(doc.v6).toBe(v6);
      expect(doc.rules().map((r) => tupleText(r.spec))).toEqual(s.rules.filter((r) => r.v6 === v6).map((r) => tupleText(r)));
      const fresh = parseRules(doc.toString(), { file });
      expect(checkRules(fresh)).toEqual([]);
      expect(fresh.toJSON()).toEqual(doc.toJSON());
      expect(doc.toString()).toBe(files.find((f) => f.path === `/etc/ufw/${file}`)!.content);
      // the LOGGING section: RETURNs with logging off, LOG lines otherwise
      const section = /### LOGGING ###\n([^]*?)### END LOGGING ###/.exec(doc.toString())![1]!;
      expect(/-j LOG /.test(section)).toBe(level !== null);
      expect(/^-I ufw6?-user-logging-input -j RETURN$/m.test(section)).toBe(level === null);
    }
  });

  it('refuses a log level ufw does not know', () => {
    const s = { ...state('low'), logging: { state: 'on', level: 'loud' } } as unknown as UfwState;
    expect(() => renderRules(s)).toThrow(/Invalid log level 'loud'/);
  });
});
