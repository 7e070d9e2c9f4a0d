// setUfwLogging on files the real ufw wrote (fixtures/ufw-files, captured by capture.sh): a level and
// back is the file ufw wrote; only the LOGGING section and the rate limit's LOG line change; lines of
// the user's own outside them are kept; the stock files are written whole, as ufw writes them.
// (Byte-for-byte agreement with `ufw logging LEVEL` itself: files.system.test.ts.)
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../src/core/files.js';
import { rewriteRules } from '../../src/ufw-rules/parse.js';
import { checkTree, LOG_LEVELS, readTree, setUfwLogging, treeRules, writtenRules, loggingPolicies, type UfwLogLevel } from '../../src/ufw-files/index.js';

const BASE = join(import.meta.dirname, '../../fixtures/ufw-files');
const tree = (set: string) => readTree(new NodeFileSource({ root: join(BASE, set) }), '/');

/** The lines outside `### LOGGING ###`…`### END LOGGING ###`, without the rate limit's LOG line. */
function outside(text: string): string[] {
  const out: string[] = [];
  let inside = false;
  for (const l of text.split('\n')) {
    if (l === '### LOGGING ###') inside = true;
    if (!inside && !/^-A ufw6?-user-limit .*-j LOG /.test(l)) out.push(l);
    if (l === '### END LOGGING ###') inside = false;
  }
  return out;
}

describe('setUfwLogging', () => {
  it.each(LOG_LEVELS.map((l) => [l]))('to %s and back gives the files ufw wrote, changing only the logging rules', (level: UfwLogLevel) => {
    const original = tree('many');
    const start = original.conf.get('LOGLEVEL') as UfwLogLevel;
    const t = tree('many');
    expect(setUfwLogging(t, level)).toBe(level);
    expect(t.conf.get('LOGLEVEL')).toBe(level);
    for (const k of ['rules4', 'rules6'] as const) {
      expect(outside(t[k].toString())).toEqual(outside(original[k].toString()));
      if (level !== start) expect(t[k].toString()).not.toBe(original[k].toString());
    }
    expect(treeRules(t)).toEqual(treeRules(original));
    // no finding added: the logging rules are not taken for rule lines (with logging off, user-logging RETURNs)
    const findings = (x: typeof t) => checkTree(x).map((d) => `${d.file}:${d.line}: ${d.code}`);
    expect(findings(t).length).toBe(findings(original).length);
    expect(findings(t).filter((f) => /untupled|mismatch/.test(f))).toEqual([]);
    setUfwLogging(t, start);
    for (const k of ['conf', 'rules4', 'rules6'] as const) expect(t[k].toString(), k).toBe(original[k].toString());
  });

  it('keeps a line of the user\'s own outside the logging rules', () => {
    const t = tree('many');
    const text = t.rules4.toString().replace('### END RULES ###\n', '### END RULES ###\n# mine\n');
    rewriteRules(t.rules4, text);
    setUfwLogging(t, 'full');
    expect(t.rules4.toString()).toContain('### END RULES ###\n# mine\n');
  });

  it('`on` keeps the level, or is low when logging is off', () => {
    const t = tree('many');
    expect(setUfwLogging(t, 'on')).toBe('medium');
    setUfwLogging(t, 'off');
    expect(setUfwLogging(t, 'on')).toBe('low');
    expect(() => setUfwLogging(t, 'loud' as UfwLogLevel)).toThrow(/Invalid log level 'loud'/);
  });

  it('writes the stock files whole, as ufw does: at the captured tree\'s level they are its files', () => {
    // the stock rule files with the rules of `many` written as ufw writes them
    const many = tree('many');
    const level = many.conf.get('LOGLEVEL') as UfwLogLevel;
    for (const k of ['rules4', 'rules6'] as const) expect(writtenRules(many[k], level, loggingPolicies(many)), k).toBe(many[k].toString());
    const stock = tree('stock');
    setUfwLogging(stock, 'low');
    expect(stock.rules4.toString()).toContain('### LOGGING ###\n');
    expect(stock.rules4.toString()).toContain(':ufw-user-logging-input - [0:0]\n');
    expect(checkTree(stock)).toEqual([]);
  });
});
