// Placeholder until 'fwconf ufw' lands.
import { EXIT_USAGE, type Command } from './io.js';

export const command: Command = {
  name: 'ufw',
  summary: 'not available yet',
  usage: 'fwconf ufw: not available yet',
  async run(_argv, io) {
    io.stderr('fwconf ufw: not available yet\n');
    return EXIT_USAGE;
  },
};
