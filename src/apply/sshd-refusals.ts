/**
 * What `sshd -t` says of the planned tree, in terms of the files the user knows: the staging copy of
 * the main config (written for validating a tree below a root) named as the main config, a path below
 * the root as the daemon's path, and for each offending line whether it was already there before the
 * apply or is one the apply writes.
 */
import type { RunResult } from './executor.js';

export interface SshdTestContext {
  /** The staging file's path on this machine, and the daemon path it stands for. */
  readonly scratch?: { readonly hostPath: string; readonly standsFor: string };
  /** The daemon path of a path on this machine (the root prefix removed), or undefined when it is outside the root. */
  readonly daemonPath: (hostPath: string) => string | undefined;
  /** A file's text before the apply and as the apply leaves it (undefined: the apply does not touch it). */
  readonly change: (daemonPath: string) => { readonly before?: string; readonly after: string } | undefined;
}

/** sshd's output with the staging path replaced by the file it stands for. */
export function showSshdOutput(text: string, ctx: SshdTestContext): string {
  return ctx.scratch ? text.split(ctx.scratch.hostPath).join(ctx.scratch.standsFor) : text;
}

/** `FILE:LINE: message (…before the apply / written by this apply)` for each `FILE line N:` sshd names. */
export function explainSshdTest(r: RunResult, ctx: SshdTestContext): string | undefined {
  const out: string[] = [];
  for (const raw of `${r.stderr}\n${r.stdout}`.split('\n')) {
    const m = /^(\/\S*?):? line (\d+): (.*)$/.exec(raw.trim());
    if (!m) continue;
    const host = m[1]!;
    const line = Number(m[2]);
    const file = ctx.scratch && host === ctx.scratch.hostPath ? ctx.scratch.standsFor : (ctx.daemonPath(host) ?? host);
    const change = ctx.change(file);
    let when: string;
    if (!change) when = 'already there before the apply; fwconf does not change this file';
    else {
      const text = change.after.split('\n')[line - 1]?.replace(/\r$/, '').trim();
      const before = change.before?.split('\n').map((l) => l.replace(/\r$/, '').trim()) ?? [];
      const at = text === undefined ? -1 : before.indexOf(text);
      when = at >= 0 ? `already there before the apply${at + 1 !== line ? `, as line ${at + 1}` : ''}` : 'a line this apply writes';
    }
    out.push(`${file}:${line}: ${m[3]} (${when})`);
  }
  return out.length ? out.join('; ') : undefined;
}
