// Placeholder until 'fwconf apply' lands.
import { EXIT_USAGE, type Command } from './io.js';

export const command: Command = {
  name: 'apply',
  summary: 'not available yet',
  usage: 'fwconf apply: not available yet',
  async run(_argv, io) {
    io.stderr('fwconf apply: not available yet\n');
    return EXIT_USAGE;
  },
};
