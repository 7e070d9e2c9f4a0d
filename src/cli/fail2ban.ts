// Placeholder until 'fwconf fail2ban' lands.
import { EXIT_USAGE, type Command } from './io.js';

export const command: Command = {
  name: 'fail2ban',
  summary: 'not available yet',
  usage: 'fwconf fail2ban: not available yet',
  async run(_argv, io) {
    io.stderr('fwconf fail2ban: not available yet\n');
    return EXIT_USAGE;
  },
};
