/** The plain data of ufw's settings files: what `fwconf parse --format ufw-conf` prints. */

/** A ufw settings file (ufw.conf, /etc/default/ufw) as plain data: every assignment, as the shell and as ufw read it. */
export interface UfwConfModel {
  format: 'ufw-conf';
  /** Every assignment in order: name, shell value, ufw's value (null when ufw skips the line), line. */
  settings: { key: string; value: string; ufw: string | null; line: number }[];
}
