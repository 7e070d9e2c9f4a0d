// Reads rendered files back through the formats' parsers into plain models the tests compare with
// what the builder was given.
import { parse as parseSshd } from '../../src/sshd/parse.js';
import { parse as parseXinetd } from '../../src/xinetd/parse.js';
import { parse as parseFail2ban } from '../../src/fail2ban/index.js';

/** sshd: [keyword, argument values][] for the global section and each Match block. */
export function sshdModel(text: string): { global: [string, string[]][]; matches: { criteria: [string, string][]; directives: [string, string[]][] }[] } {
  const j = parseSshd(text).toJSON() as unknown as {
    global: { type: string; keyword?: string; args?: { value: string }[] }[];
    matches?: { criteria: { criterion: string; patterns: string }[]; body: { type: string; keyword?: string; args?: { value: string }[] }[] }[];
  };
  const dir = (nodes: { type: string; keyword?: string; args?: { value: string }[] }[]) =>
    nodes.filter((n) => n.type === 'directive').map((n) => [n.keyword!, n.args!.map((a) => a.value)] as [string, string[]]);
  return {
    global: dir(j.global),
    matches: (j.matches ?? []).map((m) => ({ criteria: m.criteria.map((c) => [c.criterion, c.patterns] as [string, string]), directives: dir(m.body) })),
  };
}

/** xinetd: service name → attribute name → values. */
export function xinetdModel(text: string): Record<string, Record<string, string[]>> {
  const j = parseXinetd(text).toJSON() as unknown as { services: { name: string; attributes: { name: string; values: string[] }[] }[] };
  return Object.fromEntries(j.services.map((s) => [s.name, Object.fromEntries(s.attributes.map((a) => [a.name, a.values]))]));
}

/** fail2ban: section → key → value (continuation lines joined with \n, as the INI reader does). */
export function fail2banModel(text: string): Record<string, Record<string, string>> {
  const j = parseFail2ban(text).toJSON() as unknown as { sections: { name: string; options: { key: string; value: string }[] }[] };
  return Object.fromEntries(j.sections.map((s) => [s.name, Object.fromEntries(s.options.map((o) => [o.key, o.value]))]));
}
