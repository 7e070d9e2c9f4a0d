// Real translated `ufw status` output (fixtures/ufw/localized, captured by capture.sh there with ufw's
// own catalogues): read to the same model as the English output of the same firewall, with a warning
// that names the language, and scripted to the same commands.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, parse, renderScript } from '../../src/ufw/index.js';

const dir = join(import.meta.dirname, '../../fixtures/ufw/localized');
const read = (f: string) => readFileSync(join(dir, f), 'utf8');
const LANGS = ['de', 'fr', 'ru', 'zh_CN', 'ja'];
const MODES = ['plain', 'verbose', 'numbered'];

/** The model without the language and the diagnostics. */
function model(text: string) {
  const j = parse(text).toJSON() as unknown as Record<string, unknown>;
  return { status: j.status, mode: j.mode, logging: j.logging, defaults: j.defaults, newProfiles: j.newProfiles, rules: j.rules };
}

describe('translated ufw status (real output, ufw 0.36.2 catalogues)', () => {
  it('the English capture reads cleanly', () => {
    for (const m of MODES) {
      const doc = parse(read(`en-${m}.txt`));
      expect(doc.diagnostics).toEqual([]);
      expect((doc.toJSON() as unknown as { rules: unknown[] }).rules.length).toBeGreaterThanOrEqual(9);
    }
  });

  for (const l of LANGS) {
    for (const m of MODES) {
      it(`${l} ${m}: the same model as English, printed back byte for byte, a warning only when translated`, () => {
        const text = read(`${l}-${m}.txt`);
        const en = read(`en-${m}.txt`);
        const doc = parse(text, { file: `${l}-${m}.txt` });
        expect(doc.toString()).toBe(text);
        expect(doc.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(model(text)).toEqual(model(en));
        const codes = [...doc.diagnostics, ...check(doc)].map((d) => d.code);
        if (text === en) expect(codes).toEqual([]);
        else {
          expect(codes).toContain('ufw/localized-output');
          expect(doc.diagnostics.find((d) => d.code === 'ufw/localized-output')!.message).toContain(`(${l})`);
        }
      });
    }
    it(`${l}: the script from the translated status verbose is the English one`, () => {
      expect(renderScript(parse(read(`${l}-verbose.txt`)).state()!)).toBe(renderScript(parse(read('en-verbose.txt')).state()!));
    });
  }

  it('at least four of the languages are really translated', () => {
    expect(LANGS.filter((l) => read(`${l}-verbose.txt`) !== read('en-verbose.txt')).length).toBe(LANGS.length);
    expect(LANGS.filter((l) => read(`${l}-numbered.txt`) !== read('en-numbered.txt')).length).toBeGreaterThanOrEqual(4);
  });
});
