/**
 * sshd_config (OpenSSH 9.x, as Debian 12 builds 9.2p1): lossless parsing and editing, the keyword
 * table, checks that agree with `sshd -t`, and the effective configuration as `sshd -T -C` prints it.
 */
import type { Format } from '../core/format.js';
import { detector } from '../core/detect.js';
import { check } from './check.js';
import type { SshdDocument } from './document.js';
import { parse } from './parse.js';
import { KEYWORDS, ALIASES } from './keywords.js';
import { render, type SshdRenderOptions, type SshdRenderSpec } from './render.js';
import { effective, type EffectiveConfig, type EffectiveOptions } from './effective.js';

export { parse } from './parse.js';
export type { SshdLine, SshdDirectiveLine, SshdToken } from './parse.js';
export { SshdDocument, SshdSection, SshdNode } from './document.js';
export { check, type SshdCheckOptions } from './check.js';
export { effective, type EffectiveConfig, type EffectiveEntry, type EffectiveOptions, type Explanation, type ShadowedLine } from './effective.js';
export type { SshdRelease } from './defaults.js';
export type { GroupLookup } from './accounts.js';
export { audit, applyFixes, type AuditClass, type AuditEdit, type AuditFinding, type AuditResult, type AuditOptions } from './audit.js';
export { BUILTIN_POLICIES, parsePolicy, type PolicyRule, type SshdPolicy } from './policy.js';
export { render, type SshdRenderSpec, type SshdRenderOptions, type SshdDirectiveList } from './render.js';
export { lookupKeyword, type KeywordInfo, type AliasInfo, type KeywordLookup, type ValueKind, type Wins, type KeywordStatus, type KeywordTable } from './keywords.js';
export type { AlgorithmSet } from './algorithms.js';
export type { SshdCode } from './codes.js';
/** The line reader, quoting, keyword and algorithm tables, releases' defaults: what the Document is built from. */
export * as syntax from './syntax.js';
export type * from './model.js';

const NAMES = new Set([...KEYWORDS.keys(), ...ALIASES.keys()]);

/** 2 for sshd_config or a .conf under sshd_config.d, 1 for text that reads as sshd keywords. */
const detect = detector({
  name: (path, base) => /^sshd_config(\.(d(ist|efault)?|orig|bak|ucf-dist|ucf-old))?$/.test(base) || /(^|\/)sshd_config\.d\/[^/]+\.conf$/.test(path),
  content: (head) => {
    let hits = 0;
    let misses = 0;
    for (const line of head.split('\n').slice(0, 400)) {
      const t = line.trim();
      if (t === '' || t.startsWith('#')) continue;
      const kw = /^([A-Za-z0-9]+)(?:[ \t]*=|[ \t])/.exec(t)?.[1]?.toLowerCase();
      if (kw && NAMES.has(kw)) hits++;
      else misses++;
    }
    return hits > 0 && hits >= misses * 2;
  },
});

/** The sshd_config format: parse, check, render, semantics and detection (by name, and by sshd keywords). */
export const format: Format<SshdDocument, SshdRenderSpec, EffectiveConfig, SshdRenderOptions, EffectiveOptions> = {
  name: 'sshd',
  parse: (text, options) => parse(text, options),
  check: (doc, options) => check(doc, options),
  detect,
  render: (spec, options) => render(spec, options),
  semanticsVerb: 'effective',
  semantics: (doc, options) => effective(doc, options ?? {}),
};
