// Placeholder until the fail2ban format lands: registered so the CLI and the registry are complete.
import type { Format, FormatDocument } from '../core/format.js';

export const format: Format<FormatDocument> = {
  name: 'fail2ban',
  parse() {
    throw new Error('the fail2ban format is not available yet');
  },
  check() {
    return [];
  },
  detect() {
    return 0;
  },
};
