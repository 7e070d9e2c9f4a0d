/** The `resolve --json` shape, built from a resolution. */
import type { ResolvedJSON } from './model.js';
import type { Resolution } from './resolve.js';

/**
 * `{"general": {SETTING: {value, file, line}}, "jails": {NAME: {options, filter, actions}}}`: the server's
 * settings with where each is written, and the jails' values exactly as the client passes them to the server.
 */
export function toResolvedJSON(r: Resolution): ResolvedJSON {
  const { settings, origins } = r.settings;
  const general = Object.fromEntries(
    (Object.keys(settings) as (keyof typeof settings)[]).map((k) => {
      const o = origins[k];
      return [k, { value: settings[k], ...(o ? { file: o.file, line: o.line } : {}) }];
    }),
  ) as ResolvedJSON['general'];
  const out: ResolvedJSON = { general, jails: {} };
  for (const j of r.jails) {
    const options: ResolvedJSON['jails'][string]['options'] = { backend: j.backend, ...j.options };
    if (j.logpath.length) options.logpath = j.logpath;
    const f = j.filter;
    out.jails[j.name] = {
      options,
      filter: f
        ? {
            name: f.name,
            failregex: f.failregex,
            ignoreregex: f.ignoreregex,
            prefregex: f.prefregex ?? null,
            datepattern: f.datepattern ?? null,
            maxlines: f.maxlines ?? null,
            ...(f.usedns !== undefined ? { usedns: f.usedns } : {}),
            ...(f.journalmatch.length ? { journalmatch: f.journalmatch } : {}),
          }
        : null,
      actions: j.actions.map((a) => ({ name: a.name, params: a.python ? { 'python-path': a.python.path, 'python-args': a.python.json } : a.params })),
      ...(j.error ? { error: j.error } : {}),
    };
  }
  return out;
}
