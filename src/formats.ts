/** The registry of formats, for the CLI and `detectFormat`. */
import type { Format, FormatName } from './core/format.js';
import { FORMAT_NAMES } from './core/format.js';
import { format as sshd } from './sshd/index.js';
import { format as xinetd } from './xinetd/index.js';
import { format as fail2ban } from './fail2ban/index.js';
import { format as iptables } from './iptables/index.js';
import { format as ufw } from './ufw/index.js';
import { format as thpot } from './thpot/index.js';
import { format as ufwRules } from './ufw-rules/index.js';
import { format as ufwConf } from './ufw-conf/index.js';
import { format as ufwApp } from './ufw-app/index.js';
import { format as fail2banLog } from './fail2ban-log/index.js';

/** Every format by name (`sshd`, `iptables-save`, `ufw-status`, ...): its parser, checks and detection. */
export const formats: Readonly<Record<FormatName, Format>> = {
  sshd: sshd,
  xinetd: xinetd,
  fail2ban: fail2ban,
  'iptables-save': iptables,
  'ufw-status': ufw,
  thpot: thpot,
  'ufw-rules': ufwRules,
  'ufw-conf': ufwConf,
  'ufw-app': ufwApp,
  'fail2ban-log': fail2banLog,
};

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}

/** What `detectFormat` decides: the format of a file, or why it cannot tell. */
export type Detection = { format: Format } | { error: string };

/** Picks the format of a file from its name and content; says why when it cannot. */
export function detectFormat(file: string | undefined, text: string): Detection {
  const scored = FORMAT_NAMES.map((n) => ({ format: formats[n], score: formats[n].detect(file, text) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best) return { error: `cannot tell the format of ${file ?? 'the input'}; name it with --format (${FORMAT_NAMES.join(', ')})` };
  const tied = scored.filter((s) => s.score === best.score);
  if (tied.length > 1)
    return {
      error: `${file ?? 'the input'} could be ${tied.map((t) => t.format.name).join(' or ')}; name it with --format`,
    };
  return { format: best.format };
}
