// Placeholder until 'fwconf iptables' lands.
import { EXIT_USAGE, type Command } from './io.js';

export const command: Command = {
  name: 'iptables',
  summary: 'not available yet',
  usage: 'fwconf iptables: not available yet',
  async run(_argv, io) {
    io.stderr('fwconf iptables: not available yet\n');
    return EXIT_USAGE;
  },
};
