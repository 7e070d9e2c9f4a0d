// The grammar as the tests load it (compiled by the vitest peggy plugin).
export { parse as parseLine } from '../../grammars/fail2ban.peggy';
