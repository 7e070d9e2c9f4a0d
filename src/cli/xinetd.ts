// Placeholder until 'fwconf xinetd' lands.
import { EXIT_USAGE, type Command } from './io.js';

export const command: Command = {
  name: 'xinetd',
  summary: 'not available yet',
  usage: 'fwconf xinetd: not available yet',
  async run(_argv, io) {
    io.stderr('fwconf xinetd: not available yet\n');
    return EXIT_USAGE;
  },
};
