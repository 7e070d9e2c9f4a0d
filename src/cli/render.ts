// Placeholder until 'fwconf render' lands.
import { EXIT_USAGE, type Command } from './io.js';

export const command: Command = {
  name: 'render',
  summary: 'not available yet',
  usage: 'fwconf render: not available yet',
  async run(_argv, io) {
    io.stderr('fwconf render: not available yet\n');
    return EXIT_USAGE;
  },
};
