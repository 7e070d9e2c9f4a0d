// Placeholder until the xinetd format lands: registered so the CLI and the registry are complete.
import type { Format, FormatDocument } from '../core/format.js';

export const format: Format<FormatDocument> = {
  name: 'xinetd',
  parse() {
    throw new Error('the xinetd format is not available yet');
  },
  check() {
    return [];
  },
  detect() {
    return 0;
  },
};
