import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../src/core/files.js';
import { main } from '../../src/cli/main.js';
import { check, effective, effectiveFromFile, parse, type SystemLookup } from '../../src/xinetd/index.js';
import { captureIo } from '../cli/capture-io.js';

const thpPasv = readFileSync('fixtures/xinetd/seed/etc/xinetd.d/thp-pasv', 'utf8');
const system: SystemLookup = {
  user: (n) => ['root', 'nobody', 'thpot'].includes(n),
  group: (n) => ['root', 'nogroup'].includes(n),
  protocol: (n) => ['tcp', 'udp'].includes(n),
  servicePort: (n, p) => (({ 'ssh/tcp': 22, 'echo/tcp': 7, 'echo/udp': 7 }) as Record<string, number>)[`${n}/${p}`] ?? null,
  executable: (p) => ['/usr/sbin/thpot', '/bin/cat'].includes(p),
};
const diags = (text: string, sys: SystemLookup = system) => check(parse(text), { system: sys }).map((d) => `${d.line}:${d.column}:${d.severity}:${d.code}`);
const svc = (body: string, name = 'x') => `service ${name}\n{\n${body}}\n`;
const base = '\tsocket_type = stream\n\ttype = UNLISTED\n\tport = 4000\n\twait = no\n\tuser = nobody\n\tserver = /bin/cat\n';

describe('check', () => {
  it('the seed thp-pasv is valid where thpot and its user exist', () => {
    expect(diags(thpPasv)).toEqual([]);
  });

  it('the seed thp-pasv where they do not: unknown user, server not executable', () => {
    const ds = check(parse(thpPasv, { file: 'thp-pasv' }), { system: { ...system, user: () => false, executable: () => false } });
    expect(ds.map((d) => `${d.line}:${d.column}:${d.code}: ${d.message}`)).toEqual([
      '10:27:xinetd/bad-value: Unknown user: thpot: xinetd disables service thp-pasv (Error parsing attribute user - DISABLING SERVICE)',
      '11:27:xinetd/bad-value: Server /usr/sbin/thpot is not executable: xinetd disables service thp-pasv (Error parsing attribute server - DISABLING SERVICE)',
      '3:9:xinetd/service-rejected: Must specify a server in thp-pasv',
    ]);
  });

  it('every Debian file is clean', () => {
    const dir = 'fixtures/xinetd/debian/etc/xinetd.d';
    for (const f of readdirSync(dir).sort()) expect(diags(readFileSync(join(dir, f), 'utf8')), f).toEqual([]);
  });

  const table: [string, string, string[]][] = [
    ['unknown attribute', svc(base + '\tleaky_bucket = 1 2 3 4\n'), ['9:2:warning:xinetd/unknown-attribute']],
    ['defaults-only attribute in a service', svc(base + '\tenabled = x\n'), ['9:2:warning:xinetd/unknown-attribute']],
    ['service attribute in defaults', 'defaults\n{\n\tsocket_type = stream\n}\n', ['3:2:warning:xinetd/unknown-attribute']],
    ['bad value', svc(base + '\tnice = lots\n'), ['9:9:error:xinetd/bad-value']],
    ['bad enum', svc(base.replace('stream', 'streams')), ['3:16:error:xinetd/bad-value', '1:9:error:xinetd/missing-attribute']],
    ['operator not allowed', svc(base + '\tnice += 3\n'), ['9:7:warning:xinetd/operator-not-allowed']],
    ['env -=', svc(base + '\tenv -= A=1\n'), ['9:9:error:xinetd/bad-value']],
    ['value count', svc(base + '\tcps = 10\n'), ['9:8:warning:xinetd/value-count']],
    ['already set', svc(base + '\tport = 4001\n'), ['9:2:warning:xinetd/duplicate-attribute']],
    ['missing wait', svc(base.replace('\twait = no\n', '')), ['1:9:error:xinetd/missing-attribute']],
    ['UNLISTED needs a port', svc(base.replace('\tport = 4000\n', '')), ['1:9:error:xinetd/service-rejected']],
    ['INTERNAL needs no user or server', svc('\ttype = INTERNAL\n\tsocket_type = stream\n\twait = no\n', 'echo'), []],
    ['INTERNAL needs a builtin', svc('\ttype = INTERNAL UNLISTED\n\tport = 5\n\tsocket_type = stream\n\twait = no\n', 'nosuch'), ['1:9:error:xinetd/service-rejected']],
    ['listed service with the wrong port', svc(base.replace('\ttype = UNLISTED\n', ''), 'ssh'), ['1:9:error:xinetd/service-rejected']],
    ['RPC needs rpc_version', svc(base.replace('UNLISTED', 'RPC')), ['1:9:error:xinetd/missing-attribute']],
    ['duplicate ids', svc(base + '\tid = a\n', 'x') + svc(base + '\tid = a\n', 'y'), ['11:9:warning:xinetd/duplicate-id']],
    ['nothing read after disable = yes', svc(base + '\tdisable = yes\n\tnice = lots\n'), ['10:9:warning:xinetd/bad-value']],
    ['bad address with a comma', svc(base + '\tonly_from = 10.0.0.1,10.0.0.2\n'), ['9:14:error:xinetd/bad-value']],
  ];
  for (const [name, text, expected] of table) it(name, () => expect(diags(text)).toEqual(expected));

  it('without system databases, lookups are not guessed', () => {
    expect(diags(svc(base.replace('nobody', 'nosuchuser')), {})).toEqual([]);
  });
});

describe('effective', () => {
  const files = new MemoryFileSource({
    '/etc/xinetd.conf': 'defaults\n{\n\tlog_on_success = HOST PID\n\tonly_from = 10.0.0.0/8\n\tinstances = 30\n}\nincludedir /etc/xinetd.d\ninclude /etc/extra\n',
    '/etc/xinetd.d/b': svc(base.replace('4000', '4002') + '\tlog_on_success += DURATION\n\tlog_on_success -= PID\n\tonly_from += 127.0.0.1\n', 'b'),
    '/etc/xinetd.d/A': svc(base + '\tonly_from = 127.0.0.1\n\tinstances = 5\n', 'A'),
    '/etc/xinetd.d/a.rpmsave': svc(base, 'dot'),
    '/etc/xinetd.d/c~': svc(base, 'tilde'),
    '/etc/xinetd.d/sub/d': svc(base, 'sub'),
    '/etc/xinetd.d/thp-pasv': thpPasv,
    '/etc/extra': 'defaults\n{\n\tdisabled = thp-pasv\n}\n' + svc(base.replace('4000', '4003'), 'extra'),
  });

  it('follows includedir in strcmp order, skipping names with a dot or a trailing ~, and include', () => {
    const r = effectiveFromFile('/etc/xinetd.conf', { files, system });
    expect(r.files).toEqual(['/etc/xinetd.conf', '/etc/xinetd.d/A', '/etc/xinetd.d/b', '/etc/xinetd.d/thp-pasv', '/etc/extra']);
    expect(r.services.map((s) => s.name)).toEqual(['A', 'b', 'extra']);
    expect(r.removed).toEqual([{ name: 'thp-pasv', id: 'thp-pasv', file: '/etc/xinetd.d/thp-pasv', line: 3, reason: 'listed in defaults disabled' }]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['xinetd/not-a-file']);
  });

  it('effective takes the parsed document, as every format\'s semantics verb; the path-taking form is effectiveFromFile', () => {
    const path = '/etc/xinetd.conf';
    const fromFile = effectiveFromFile(path, { files, system });
    expect(effective(parse(files.read(path)!, { file: path }), { files, system })).toEqual(fromFile);
    expect(effective(parse(files.read(path)!), { files, system, path })).toEqual(fromFile);
    expect(() => effective(path as never, { files, system })).toThrow(/effectiveFromFile/);
    expect(() => effective(null as never, { files })).toThrow(TypeError);
  });

  it('merges defaults and applies = += -= the way xinetd does', () => {
    const r = effectiveFromFile('/etc/xinetd.conf', { files, system });
    const [a, b] = r.services;
    expect(a!.onlyFrom).toEqual(['127.0.0.1']);
    expect(a!.logOnSuccess).toEqual(['HOST', 'PID']);
    expect(a!.instances).toBe('5');
    expect(b!.onlyFrom).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(b!.logOnSuccess).toEqual(['HOST', 'DURATION']);
    expect(b!.instances).toBe('30');
    expect(b!.serverArgv).toEqual(['cat']);
  });

  it('the seed thp-pasv, effective', () => {
    const r = effectiveFromFile('/etc/xinetd.d/thp-pasv', { files: new MemoryFileSource({ '/etc/xinetd.d/thp-pasv': thpPasv }), system });
    expect(r.services).toEqual([
      {
        name: 'thp-pasv',
        id: 'thp-pasv',
        file: '/etc/xinetd.d/thp-pasv',
        line: 3,
        type: ['UNLISTED'],
        flags: [],
        socketType: 'stream',
        protocol: 'tcp',
        port: 22,
        wait: false,
        user: 'thpot',
        server: '/usr/sbin/thpot',
        serverArgv: ['thpot', 'nullresp'],
        instances: '1',
        perSource: '1',
        nice: 10,
        attributes: {
          type: ['UNLISTED'],
          socket_type: ['stream'],
          protocol: ['tcp'],
          port: ['22'],
          wait: ['no'],
          user: ['thpot'],
          server: ['/usr/sbin/thpot'],
          server_args: ['nullresp'],
          nice: ['10'],
          disable: ['no'],
          instances: ['1'],
          per_source: ['1'],
        },
      },
    ]);
  });

  it('an include loop is reported, not followed forever', () => {
    const r = effectiveFromFile('/a', { files: new MemoryFileSource({ '/a': 'include /b\n', '/b': 'include /a\n' }), system });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['xinetd/include-loop']);
  });
});



describe('CLI', () => {
  it('fwconf parse --format xinetd prints the model', async () => {
    const io = captureIo();
    expect(await main(['parse', '--format', 'xinetd', 'fixtures/xinetd/seed/etc/xinetd.d/thp-pasv'], io)).toBe(0);
    expect(JSON.parse(io.out)).toEqual(JSON.parse(readFileSync('fixtures/xinetd/seed/thp-pasv.model.json', 'utf8')));
    expect(io.err).toBe('');
  });

  it('fwconf parse detects xinetd.d files and reports syntax errors with exit 1', async () => {
    const io = captureIo();
    expect(await main(['parse', 'fixtures/xinetd/debian/etc/xinetd.d/echo'], io)).toBe(0);
    expect(JSON.parse(io.out).services.map((s: { name: string }) => s.name)).toEqual(['echo', 'echo']);
  });

  it('fwconf roundtrip and check on Debian files', async () => {
    const io = captureIo();
    const all = readdirSync('fixtures/xinetd/debian/etc/xinetd.d').sort().map((f) => `fixtures/xinetd/debian/etc/xinetd.d/${f}`);
    expect(await main(['roundtrip', '--format', 'xinetd', ...all], io)).toBe(0);
    expect(await main(['check', '--format', 'xinetd', '--root', 'fixtures/xinetd/debian', ...all], io)).toBe(0);
    expect(io.out + io.err).toBe('');
  });

  it('fwconf xinetd effective --root on Debian stock: every service disabled', async () => {
    const io = captureIo();
    expect(await main(['xinetd', 'effective', '--root', 'fixtures/xinetd/debian', '--conf', '/etc/xinetd.conf', '--json'], io)).toBe(0);
    const r = JSON.parse(io.out);
    expect(r.services).toEqual([]);
    expect(r.removed.map((x: { id: string; reason: string }) => `${x.id}: ${x.reason}`)).toEqual(
      // `disable = yes` stops xinetd's reading of an entry, so an `id` after it is never read.
      ['chargen', 'chargen', 'chargen-dgram', 'daytime', 'daytime', 'daytime-dgram', 'discard', 'discard', 'discard-dgram',
        'echo', 'echo', 'echo-dgram', 'servers', 'services', 'time', 'time', 'time-dgram'].map((id) => `${id}: disable = yes`),
    );
    expect(r.files[0]).toBe('/etc/xinetd.conf');
    expect(r.files.length).toBe(13);
  });

  it('fwconf xinetd effective: an unreadable --conf says why; --conf - reads standard input', async () => {
    const dir = mkdtempSync(join(tmpdir(), `fwconf-xinetd-${process.pid}-`));
    try {
      const missing = captureIo();
      expect(await main(['xinetd', 'effective', '--conf', join(dir, 'nosuch')], missing)).toBe(1);
      expect(missing.err).toBe(`${join(dir, 'nosuch')}:1:1: error: cannot read ${join(dir, 'nosuch')}: no such file [xinetd/unreadable]\n`);
      const isDir = captureIo();
      expect(await main(['xinetd', 'effective', '--conf', dir], isDir)).toBe(1);
      expect(isDir.err).toBe(`${dir}:1:1: error: cannot read ${dir}: is a directory [xinetd/unreadable]\n`);
      const text = readFileSync('fixtures/xinetd/seed/etc/xinetd.d/thp-pasv', 'utf8');
      const stdin = captureIo({ stdin: text });
      expect(await main(['xinetd', 'effective', '--root', 'fixtures/xinetd/seed', '--conf', '-'], stdin)).toBe(1);
      expect(stdin.out).toBe('services (0)\nremoved (1)\n  thp-pasv  <stdin>:3  Must specify a server in thp-pasv\n');
      expect(stdin.err).toContain('<stdin>:11:27: error: Server /usr/sbin/thpot is not executable');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fwconf xinetd effective: a server that is not there disables, disable = no re-enables, then no server (exit 1)', async () => {
    const io = captureIo();
    expect(await main(['xinetd', 'effective', '--root', 'fixtures/xinetd/seed', '--conf', '/etc/xinetd.d/thp-pasv'], io)).toBe(1);
    expect(io.out).toBe('services (0)\nremoved (1)\n  thp-pasv  /etc/xinetd.d/thp-pasv:3  Must specify a server in thp-pasv\n');
    expect(io.err).toContain('/etc/xinetd.d/thp-pasv:11:27: error: Server /usr/sbin/thpot is not executable');
  });

  it('fwconf xinetd effective lists running services', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwconf-xinetd-cli-'));
    try {
      mkdirSync(join(dir, 'etc/xinetd.d'), { recursive: true });
      mkdirSync(join(dir, 'usr/sbin'), { recursive: true });
      writeFileSync(join(dir, 'usr/sbin/thpot'), '');
      writeFileSync(join(dir, 'etc/passwd'), 'thpot:x:120:120::/:/usr/sbin/nologin\n');
      writeFileSync(join(dir, 'etc/xinetd.d/thp-pasv'), thpPasv);
      writeFileSync(join(dir, 'etc/xinetd.conf'), 'includedir /etc/xinetd.d\n');
      const io = captureIo();
      expect(await main(['xinetd', 'effective', '--root', dir], io)).toBe(0);
      expect(io.out).toBe(
        'services (1)\n  thp-pasv  /etc/xinetd.d/thp-pasv:3\n' +
          [['type', 'UNLISTED'], ['socket_type', 'stream'], ['protocol', 'tcp'], ['port', '22'], ['wait', 'no'], ['user', 'thpot'], ['server', '/usr/sbin/thpot'], ['argv', 'thpot nullresp'], ['instances', '1'], ['per_source', '1'], ['nice', '10']]
            .map(([k, v]) => `    ${k!.padEnd(12)} ${v}\n`)
            .join(''),
      );
      expect(io.err).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('usage errors exit 2, --help exits 0', async () => {
    const io = captureIo();
    expect(await main(['xinetd'], io)).toBe(2);
    expect(await main(['xinetd', 'frobnicate'], io)).toBe(2);
    expect(await main(['xinetd', 'effective', '--bogus'], io)).toBe(2);
    expect(await main(['xinetd', '--help'], io)).toBe(0);
    expect(await main(['xinetd', 'effective', '--help'], io)).toBe(0);
    expect(io.out).toContain('Usage: fwconf xinetd effective');
  });
});
