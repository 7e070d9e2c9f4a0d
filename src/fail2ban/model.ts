/**
 * The typed model of fail2ban's configuration: jails, filters and actions as the client resolves
 * them, and fail2ban's time syntax (`10m`, `1h 30m`, `1d`, `-1`, plain seconds).
 */
import type { GeneralSettings } from './general.js';
import type { PyValue } from './pytext.js';

export type { ResolvedJail as Jail, ResolvedFilter as Filter, ResolvedAction as Action, Resolution, Provenance, Command } from './resolve.js';

/** `resolve --json` output: every enabled jail with its options, filter and actions as fail2ban's client passes them. */
export interface ResolvedJSON {
  /**
   * fail2ban.conf's server settings (with fail2ban.local and fail2ban.d/), typed as readGeneralSettings
   * types them (dbpurgeage in seconds, dbfile null for None, stacksize null when unset), each with the
   * `file` and `line` it is written on; without them, the value is fail2ban's default.
   */
  general: Record<keyof GeneralSettings, { value: GeneralSettings[keyof GeneralSettings]; file?: string; line?: number }>;
  jails: Record<
    string,
    {
      /** Jail options sent with `set` (typed: ints and bools as fail2ban converts them), plus backend, logpath and ignoreip. */
      options: Record<string, PyValue | string[] | { path: string; tail: string }[]>;
      filter: {
        name: string;
        failregex: string[];
        ignoreregex: string[];
        prefregex: string | null;
        datepattern: string | null;
        maxlines: number | null;
        usedns?: string;
        journalmatch?: string[][];
      } | null;
      actions: { name: string; params: Record<string, PyValue> }[];
      /** Present when fail2ban would skip the jail. */
      error?: string;
    }
  >;
}

export { parseTime } from './time.js';
