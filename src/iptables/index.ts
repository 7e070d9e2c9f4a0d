// Placeholder until the iptables-save format lands: registered so the CLI and the registry are complete.
import type { Format, FormatDocument } from '../core/format.js';

export const format: Format<FormatDocument> = {
  name: 'iptables-save',
  parse() {
    throw new Error('the iptables-save format is not available yet');
  },
  check() {
    return [];
  },
  detect() {
    return 0;
  },
};
