// Placeholder until 'fwconf sshd' lands.
import { EXIT_USAGE, type Command } from './io.js';

export const command: Command = {
  name: 'sshd',
  summary: 'not available yet',
  usage: 'fwconf sshd: not available yet',
  async run(_argv, io) {
    io.stderr('fwconf sshd: not available yet\n');
    return EXIT_USAGE;
  },
};
