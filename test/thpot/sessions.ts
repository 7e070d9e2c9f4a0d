// Sessions as logthis-lines.pl takes them, and the record fields thpot's line must give for each.
import { runOk } from '../spawn.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { C_MONTHS } from '../../src/core/months.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/thpot/', import.meta.url));

export interface Session {
  layout: 'single' | 'multi';
  secs: number;
  usecs: number;
  svc: string | null;
  pid: number;
  saddr: string;
  sport: string;
  elapsed: number;
  bytes: number;
  timeout: boolean;
  sidmode: 'hex' | 'dec';
}

export function toTsv(s: Session): string {
  return [s.layout, s.secs, s.usecs, s.svc ?? '-', s.pid, s.saddr || '-', s.sport || '-', s.elapsed, s.bytes, s.timeout ? 1 : 0, s.sidmode].join('\t');
}

export function fromTsv(text: string): Session[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [layout, secs, usecs, svc, pid, saddr, sport, elapsed, bytes, timeout, sidmode] = l.split('\t');
      return {
        layout: layout as Session['layout'],
        secs: +secs!,
        usecs: +usecs!,
        svc: svc === '-' ? null : svc!,
        pid: +pid!,
        saddr: saddr === '-' ? '' : saddr!,
        sport: sport === '-' ? '' : sport!,
        elapsed: +elapsed!,
        bytes: +bytes!,
        timeout: timeout === '1',
        sidmode: sidmode as Session['sidmode'],
      };
    });
}

export function readSessions(name: string): Session[] {
  return fromTsv(readFileSync(FIXTURES + name, 'utf8'));
}

/** The fixtures' time zone: TZ=UTC-1. */
export const TZ_OFFSET = 3600;

/** What `%b %d %T` of localtime gives in the C locale, as fields. */
export function localDate(secs: number): { monthNumber: number; month: string; day: number; time: string } {
  const d = new Date((secs + TZ_OFFSET) * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    monthNumber: d.getUTCMonth() + 1,
    month: C_MONTHS[d.getUTCMonth()]!,
    day: d.getUTCDate(),
    time: `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`,
  };
}

export function expectedSid(s: Session): string {
  if (s.sidmode === 'dec') return String(s.secs);
  return s.secs.toString(16).toUpperCase() + (s.usecs === 0 ? '' : s.usecs.toString(16).toUpperCase());
}

/** Runs logthis-lines.pl (thpot's line construction) on sessions; `env` adds LC_TIME and friends. */
export function perlLines(sessions: Session[], env: Record<string, string> = {}): Promise<string> {
  return runOk(['perl', FIXTURES + 'logthis-lines.pl'], {
    input: sessions.map((s) => toTsv(s) + '\n').join(''),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TZ: 'UTC-1', LC_ALL: 'C', ...env },
  });
}
