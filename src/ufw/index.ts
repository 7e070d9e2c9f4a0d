// Placeholder until the ufw-status format lands: registered so the CLI and the registry are complete.
import type { Format, FormatDocument } from '../core/format.js';

export const format: Format<FormatDocument> = {
  name: 'ufw-status',
  parse() {
    throw new Error('the ufw-status format is not available yet');
  },
  check() {
    return [];
  },
  detect() {
    return 0;
  },
};
