/** The `resolve --json` shape, built from a resolution. */
import type { ResolvedJSON } from './model.js';
import type { Resolution } from './resolve.js';

/** `{"jails": {NAME: {options, filter, actions}}}`, values exactly as the client passes them to the server. */
export function toResolvedJSON(r: Resolution): ResolvedJSON {
  const out: ResolvedJSON = { jails: {} };
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
