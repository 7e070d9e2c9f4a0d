// ufw-conf's readers on a literal case: the value ufw reads and the one the shell reads, and set as ufw's set_default sets.
import { describe, expect, it } from 'vitest';
import { parseConf } from '../../src/ufw-conf/parse.js';

describe('ufw-conf', () => {
  it('reads as ufw reads (lower-cased, quotes off, the last line wins) and sets as ufw sets', () => {
    const doc = parseConf('DEFAULT_INPUT_POLICY="DROP"\nIPT_SYSCTL=/etc/ufw/sysctl.conf\nLOGLEVEL=low\nLOGLEVEL=High\n', { file: 'ufw' });
    expect(doc.get('default_input_policy')).toBe('drop');
    expect(doc.get('IPT_SYSCTL')).toBeUndefined(); // ufw's `^\w+="?\w+"?` does not take a path
    expect(doc.shell('IPT_SYSCTL')).toBe('/etc/ufw/sysctl.conf');
    expect(doc.get('LOGLEVEL')).toBe('high');
    doc.set('LOGLEVEL', 'medium');
    expect(doc.toString()).toBe('DEFAULT_INPUT_POLICY="DROP"\nIPT_SYSCTL=/etc/ufw/sysctl.conf\nLOGLEVEL=medium\nLOGLEVEL=medium\n');
    doc.set('ENABLED', 'yes');
    expect(doc.toString().endsWith('LOGLEVEL=medium\nENABLED=yes\n')).toBe(true);
  });
});
