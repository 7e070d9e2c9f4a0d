// INTERNAL services and sensors against the real xinetd Debian ships (`xinetd -d`): which builtins
// exist (by name and socket type), and `flags = SENSOR`, which xinetd turns into the `sensor` builtin.
// The services xinetd starts must be the ones fwconf's effective view shows, with the same type, and
// `check` must report an error exactly when xinetd complains.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/core/diagnostics.js';
import { NodeFileSource } from '../../src/core/files.js';
import { check, effectiveFromFile, parse, systemLookup, type EffectiveConfig } from '../../src/xinetd/index.js';
import { XinetdOracle, type OracleResult } from './oracle.js';

const svc = (name: string, body: string) => `service ${name}\n{\n${body}}\n`;
const internal = (port: number, socket: 'stream' | 'dgram', extra = '') =>
  `\ttype = INTERNAL UNLISTED\n\tsocket_type = ${socket}\n\tprotocol = ${socket === 'stream' ? 'tcp' : 'udp'}\n\tport = ${port}\n\twait = ${socket === 'stream' ? 'no' : 'yes'}\n${extra}`;

interface Case {
  name: string;
  conf: string;
  /** What xinetd starts, as a check of the case itself. */
  running: string[];
}

const cases: Case[] = [
  {
    // As xinetd's own sample configuration writes a sensor: a listed service, no server, no user.
    name: 'sensor-listed',
    conf: svc('ftp', '\tsocket_type = stream\n\tflags = SENSOR\n\ttype = INTERNAL\n\twait = no\n\tdeny_time = 120\n'),
    running: ['ftp'],
  },
  { name: 'sensor-unlisted', conf: svc('ftp-sensor', internal(4301, 'stream', '\tflags = SENSOR\n\tdeny_time = 60\n')), running: ['ftp-sensor'] },
  { name: 'sensor-dgram', conf: svc('udp-sensor', internal(4302, 'dgram', '\tflags = SENSOR\n')), running: ['udp-sensor'] },
  {
    // Not INTERNAL as written, but with a server: xinetd makes it INTERNAL and runs the sensor.
    name: 'sensor-with-server',
    conf: svc('ssh-sensor', '\ttype = UNLISTED\n\tflags = SENSOR\n\tsocket_type = stream\n\tprotocol = tcp\n\tport = 4303\n\twait = no\n\tuser = nobody\n\tserver = /bin/cat\n'),
    running: ['ssh-sensor'],
  },
  {
    // Not INTERNAL and no server: service_fill refuses it before the sensor is considered.
    name: 'sensor-without-server',
    conf: svc('bare-sensor', '\ttype = UNLISTED\n\tflags = SENSOR\n\tsocket_type = stream\n\tprotocol = tcp\n\tport = 4304\n\twait = no\n') + svc('echo', internal(4305, 'stream')),
    running: ['echo'],
  },
  {
    name: 'builtins-of-this-build',
    conf: (['echo', 'discard', 'daytime', 'chargen', 'time'] as const)
      .flatMap((n, i) => [svc(n, internal(4310 + 2 * i, 'stream', `\tid = ${n}-stream\n`)), svc(n, internal(4311 + 2 * i, 'dgram', `\tid = ${n}-dgram\n`))])
      .concat(svc('tcpmux', internal(4320, 'stream')))
      .join(''),
    running: ['echo', 'echo', 'discard', 'discard', 'daytime', 'daytime', 'chargen', 'chargen', 'time', 'time', 'tcpmux'],
  },
  { name: 'no-servers-builtin', conf: svc('servers', internal(4330, 'stream')) + svc('echo', internal(4331, 'stream')), running: ['echo'] },
  { name: 'no-services-builtin', conf: svc('services', internal(4332, 'stream')) + svc('echo', internal(4333, 'stream')), running: ['echo'] },
  { name: 'no-xadmin-builtin', conf: svc('xadmin', internal(4334, 'stream')) + svc('echo', internal(4335, 'stream')), running: ['echo'] },
  { name: 'no-dgram-tcpmux', conf: svc('tcpmux', internal(4336, 'dgram')) + svc('echo', internal(4337, 'dgram')), running: ['echo'] },
  { name: 'names-ignore-case', conf: svc('Echo', internal(4338, 'stream')) + svc('DayTime', internal(4339, 'stream')), running: ['Echo', 'DayTime'] },
  { name: 'type-order', conf: svc('echo', internal(4341, 'stream').replace('INTERNAL UNLISTED', 'UNLISTED INTERNAL')), running: ['echo'] },
  { name: 'sensor-name-needs-flag', conf: svc('sensor', internal(4340, 'stream')), running: ['sensor'] },
];

let oracle: XinetdOracle;
let root: string;
const results = new Map<string, { oracle: OracleResult; ours: EffectiveConfig; conf: string }>();

beforeAll(async () => {
  oracle = new XinetdOracle();
  await oracle.start();
  root = mkdtempSync(join(tmpdir(), 'fwconf-xinetd-internal-'));
  const files = new NodeFileSource();
  await Promise.all(
    cases.map(async (c) => {
      const dir = join(root, c.name);
      mkdirSync(dir, { recursive: true });
      const conf = join(dir, 'xinetd.conf');
      writeFileSync(conf, c.conf);
      results.set(c.name, { oracle: await oracle.run(conf), ours: effectiveFromFile(conf, { files }), conf });
    }),
  );
}, 120_000);

afterAll(async () => {
  await oracle?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('xinetd INTERNAL services and sensors: fwconf against xinetd -d', () => {
  for (const c of cases) {
    it(`${c.name}: same services started, same type, check errors iff xinetd complains`, () => {
      const r = results.get(c.name)!;
      const theirs = r.oracle.services;
      expect(theirs.map((s) => s.name), r.oracle.raw).toEqual(c.running);
      expect(r.ours.services.map((s) => s.name)).toEqual(theirs.map((s) => s.name));
      r.ours.services.forEach((s, i) => expect(s.type.join(' '), s.name).toBe(theirs[i]!.fields['type']));
      const theirErrors = r.oracle.messages.filter((m) => m.level === 'ERROR');
      const ds = check(parse(c.conf, { file: r.conf }), { files: new NodeFileSource(), system: systemLookup(new NodeFileSource()) });
      expect(hasErrors(ds), `ours: ${JSON.stringify(ds)}\ntheirs: ${JSON.stringify(theirErrors)}`).toBe(theirErrors.length > 0);
      // xinetd's own words for a missing builtin.
      for (const m of theirErrors.filter((m) => /No such internal service/.test(m.text)))
        expect(ds.map((d) => d.message)).toContain(m.text.replace(/^No such/, 'No such'));
    });
  }
});
