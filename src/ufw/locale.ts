/**
 * The header lines of `ufw status` in English (the grammar) and in the translations ufw ships
 * (translations.ts). ufw never translates `Anywhere`, `(v6)`, `on`, the actions, directions, policy
 * words or `(log)`, so rule lines read the same in every language; only these lines change.
 */
import { parse as parseGrammar } from '../../grammars/ufw.peggy';
import { padField } from './layout.js';
import type { UfwAppPolicy, UfwDefaults, UfwLogging } from './model.js';
import { TRANSLATIONS } from './translations.js';

/** A header line of `ufw status` read in any language ufw ships: status, logging, defaults or new profiles, with the language. */
export type HeaderMatch =
  | { kind: 'status'; status: 'active' | 'inactive'; language: string }
  | { kind: 'logging'; logging: UfwLogging; language: string }
  | { kind: 'default'; defaults: UfwDefaults; language: string }
  | { kind: 'new-profiles'; policy: UfwAppPolicy; language: string }
  | { kind: 'header'; numbered: boolean; language: string; labels: { to: string; action: string; from: string } }
  | { kind: 'dashes'; numbered: boolean };

function grammar<T>(rule: string, text: string): T | undefined {
  try {
    return parseGrammar(text, { startRule: rule }) as T;
  } catch {
    return undefined;
  }
}

const ENGLISH_START = /^(?:Status: |Logging: |Default: |New profiles: |(?: {5})?(?:To |-))/;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const POLICY = '(allow|deny|reject)';

interface Compiled {
  language: string;
  status: { text: string; status: 'active' | 'inactive' }[];
  logging?: string;
  unknown: string;
  defaults?: RegExp;
  newProfiles?: string;
  header: { to: string; action: string; from: string };
}

const compiled: Compiled[] = Object.entries(TRANSLATIONS).map(([language, t]) => {
  const status: Compiled['status'] = [];
  if (t.statusActive) status.push({ text: t.statusActive, status: 'active' });
  if (t.statusActiveVerbose) status.push({ text: t.statusActiveVerbose, status: 'active' });
  if (t.statusInactive) status.push({ text: t.statusInactive, status: 'inactive' });
  let defaults: RegExp | undefined;
  if (t.defaults) {
    const src = escape(t.defaults)
      .replace('%\\(in\\)s', POLICY)
      .replace('%\\(out\\)s', POLICY)
      .replace('%\\(routed\\)s', '(allow|deny|reject|disabled)');
    defaults = new RegExp('^' + src + '$');
  }
  return {
    language,
    status,
    ...(t.logging ? { logging: t.logging } : {}),
    unknown: t.unknown ?? 'unknown',
    ...(defaults ? { defaults } : {}),
    ...(t.newProfiles ? { newProfiles: t.newProfiles } : {}),
    header: { to: t.to ?? 'To', action: t.action ?? 'Action', from: t.from ?? 'From' },
  };
});

function headerText(l: { to: string; action: string; from: string }): string {
  return `${padField(l.to, 26)} ${padField(l.action, 12)}${l.from}`;
}

function loggingValue(v: string, unknown: string): UfwLogging | undefined {
  if (v === unknown) return { state: 'unknown', level: null };
  const g = grammar<UfwLogging>('LoggingValue', v);
  return g;
}

/** Recognises a status, logging, default, new-profiles, header or dash line (English or translated). */
export function matchHeaderLine(line: string): HeaderMatch | undefined {
  if (!ENGLISH_START.test(line)) return matchTranslated(line);
  // Each rule begins with its own literal: only the one whose literal the line has can match.
  const s = line.startsWith('Status: ') ? grammar<{ status: 'active' | 'inactive' }>('StatusLine', line) : undefined;
  if (s) return { kind: 'status', status: s.status, language: 'C' };
  const l = line.startsWith('Logging: ') ? grammar<UfwLogging>('LoggingLine', line) : undefined;
  if (l) return { kind: 'logging', logging: { state: l.state, level: l.level }, language: 'C' };
  const d = line.startsWith('Default: ') ? grammar<UfwDefaults>('DefaultLine', line) : undefined;
  if (d) return { kind: 'default', defaults: { incoming: d.incoming, outgoing: d.outgoing, routed: d.routed }, language: 'C' };
  const n = line.startsWith('New profiles: ') ? grammar<{ policy: UfwAppPolicy }>('NewProfilesLine', line) : undefined;
  if (n) return { kind: 'new-profiles', policy: n.policy, language: 'C' };
  const h = /^(?: {5})?To/.test(line) ? grammar<{ numbered: boolean }>('HeaderLine', line) : undefined;
  if (h) return { kind: 'header', numbered: h.numbered, language: 'C', labels: { to: 'To', action: 'Action', from: 'From' } };
  if (/^(?: {5})?-+ +-+ +-+$/.test(line)) return { kind: 'dashes', numbered: line.startsWith(' ') };
  return matchTranslated(line);
}

function matchTranslated(line: string): HeaderMatch | undefined {
  for (const c of compiled) {
    for (const st of c.status) if (line === st.text) return { kind: 'status', status: st.status, language: c.language };
    if (c.logging && line.startsWith(c.logging)) {
      const v = loggingValue(line.slice(c.logging.length), c.unknown);
      if (v) return { kind: 'logging', logging: v, language: c.language };
    }
    if (c.defaults) {
      const m = c.defaults.exec(line);
      if (m) return { kind: 'default', defaults: { incoming: m[1] as never, outgoing: m[2] as never, routed: m[3] as never }, language: c.language };
    }
    if (c.newProfiles && line.startsWith(c.newProfiles + ' ')) {
      const p = line.slice(c.newProfiles.length + 1);
      if (p === 'allow' || p === 'deny' || p === 'reject' || p === 'skip') return { kind: 'new-profiles', policy: p, language: c.language };
    }
    const numbered = line.startsWith('     ');
    const body = numbered ? line.slice(5) : line;
    if (body === headerText(c.header)) return { kind: 'header', numbered, language: c.language, labels: c.header };
  }
  return undefined;
}

/** Text that looks like a translated ufw line fwconf cannot read (non-ASCII letters before any rule column). */
export function looksTranslated(line: string): boolean {
  return /[^\x00-\x7f]/.test(line) && !/ # /.test(line);
}
