// Placeholder until 'fwconf thpot' lands.
import { EXIT_USAGE, type Command } from './io.js';

export const command: Command = {
  name: 'thpot',
  summary: 'not available yet',
  usage: 'fwconf thpot: not available yet',
  async run(_argv, io) {
    io.stderr('fwconf thpot: not available yet\n');
    return EXIT_USAGE;
  },
};
