// Placeholder until the sshd format lands.
import type { Format, FormatDocument } from '../core/format.js';
export const format: Format<FormatDocument> = {
  name: 'sshd',
  parse() { throw new Error('the sshd format is not available yet'); },
  check() { return []; },
  detect() { return 0; },
};
