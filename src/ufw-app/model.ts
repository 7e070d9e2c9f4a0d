/** The plain data of ufw's application profiles: what `fwconf parse --format ufw-app` prints. */

/** A profile of an applications.d file as read: its name and line, title, description and ports. */
export interface UfwAppFileProfile {
  name: string;
  line: number;
  title: string | null;
  description: string | null;
  /** `ports=` split at `|`. */
  ports: string[];
}

/** An applications.d file as plain data (what `fwconf parse` prints). */
export interface UfwAppModel {
  format: 'ufw-app';
  profiles: UfwAppFileProfile[];
}
