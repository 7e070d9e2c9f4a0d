// fwconf's resolution of a configuration directory against `fail2ban-client -c DIR -d`, jail by jail
// and command by command (shared by the resolve and corpus system tests).
import { expect } from 'vitest';
import { resolve, type Command } from '../../src/fail2ban/index.js';
import { commandsByJail, parseDump } from '../../src/fail2ban/dump.js';
import { fail2banDump } from './oracle.js';

/** Commands of a jail, with addlogpath lines (glob order) sorted. */
function normal(cs: Command[]): string[] {
  const logs = cs.filter((c) => c[2] === 'addlogpath').map((c) => JSON.stringify(c)).sort();
  const rest = cs.filter((c) => c[2] !== 'addlogpath').map((c) => JSON.stringify(c));
  return [...rest, ...logs];
}

export async function compare(dir: string): Promise<{ jails: number; commands: number }> {
  const expected = commandsByJail(parseDump(await fail2banDump(dir)));
  const r = resolve(dir);
  expect(r.fatal, JSON.stringify(r.diagnostics)).toBe(false);
  const got = commandsByJail(r.commands);
  expect([...got.keys()]).toEqual([...expected.keys()]);
  let commands = 0;
  for (const [jail, cs] of expected) {
    expect(normal(got.get(jail)!), jail).toEqual(normal(cs));
    commands += cs.length;
  }
  return { jails: expected.size, commands };
}
