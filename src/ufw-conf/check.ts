/** Findings over ufw's settings files (format `ufw-conf`): the values ufw refuses or ignores. */
import { Reporter, type Diagnostic } from '../core/diagnostics.js';
import type { UfwConfDocument } from './document.js';
import type { UfwConfCode } from './codes.js';

/** Checks of ufw.conf and /etc/default/ufw: the values ufw refuses or ignores. */
export function checkConf(doc: UfwConfDocument): Diagnostic[] {
  const out = [...doc.diagnostics];
  const report = new Reporter<UfwConfCode>(doc.file, out);
  const say = (key: string, message: string, severity: 'error' | 'warning', code: UfwConfCode = 'ufw-conf/bad-value') => {
    const line = doc.lineOfKey(key);
    if (line !== undefined) report.at(line, code, severity, message);
  };
  for (const c of ['INPUT', 'OUTPUT', 'FORWARD']) {
    const v = doc.get(`DEFAULT_${c}_POLICY`);
    if (v !== undefined && !['accept', 'drop', 'reject'].includes(v)) say(`DEFAULT_${c}_POLICY`, `ufw refuses to run with policy '${v}' (ACCEPT, DROP or REJECT)`, 'error');
  }
  const a = doc.get('DEFAULT_APPLICATION_POLICY');
  if (a !== undefined && !['accept', 'drop', 'reject', 'skip'].includes(a)) say('DEFAULT_APPLICATION_POLICY', `'${a}' is not ACCEPT, DROP, REJECT or SKIP: ufw treats it as SKIP`, 'warning');
  const l = doc.get('LOGLEVEL');
  if (l !== undefined && !['off', 'low', 'medium', 'high', 'full'].includes(l)) say('LOGLEVEL', `LOGLEVEL '${l}' is not off, low, medium, high or full: \`ufw status verbose\` says Logging: unknown`, 'warning');
  const e = doc.get('ENABLED');
  if (e !== undefined && e !== 'yes' && e !== 'no') say('ENABLED', `ENABLED is yes or no; '${e}' leaves ufw off at boot`, 'warning');
  return out;
}
