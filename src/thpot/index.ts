// Placeholder until the thpot format lands: registered so the CLI and the registry are complete.
import type { Format, FormatDocument } from '../core/format.js';

export const format: Format<FormatDocument> = {
  name: 'thpot',
  parse() {
    throw new Error('the thpot format is not available yet');
  },
  check() {
    return [];
  },
  detect() {
    return 0;
  },
};
