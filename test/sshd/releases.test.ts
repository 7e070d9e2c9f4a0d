// The compiled-in defaults of the OpenSSH releases fwconf knows (src/sshd/defaults.ts). Only 9.2p1's
// row can be compared with the sshd installed here (effective-all.system.test.ts); the others are
// checked for consistency — every 9.2p1 keyword is there, each value is one fwconf's own readers
// accept and print back unchanged, every default algorithm is one the release supports — and their
// difference from 9.2p1 must be exactly the list of changes the release notes and Debian's
// changelog document, written out below independently of the rows.
import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../src/core/files.js';
import { check } from '../../src/sshd/check.js';
import { effective, parse } from '../../src/sshd/index.js';
import { SSHD_RELEASES } from '../../src/sshd/defaults.js';
import { KEYWORDS } from '../../src/sshd/keywords.js';

const BASE = SSHD_RELEASES.get('9.2p1')!;
const OTHERS = [...SSHD_RELEASES.values()].filter((r) => r !== BASE);

/** The keyword as a file writes it, for a `sshd -T` name (undefined: fwconf's table does not know it). */
const written = (dump: string) => [...KEYWORDS.values()].find((k) => (k.dump ?? k.name.toLowerCase()) === dump)?.name;

/**
 * What each release changes against 9.2p1 as Debian 12 builds it, from OpenSSH's release notes and
 * Debian's changelog (debian/changelog of 1:10.0p1-7+deb13u4): a keyword's new default, `null` for
 * a line sshd no longer prints, or a keyword sshd -T newly prints.
 */
const DOCUMENTED: Record<string, Record<string, string | null>> = {
  '10.0p1': {
    // 10.0: "the hybrid post-quantum algorithm mlkem768x25519-sha256 is now used by default"; "disables
    // finite field (a.k.a modp) Diffie-Hellman key exchange in sshd by default".
    kexalgorithms: 'mlkem768x25519-sha256,sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521',
    // 10.0: "prefer AES-GCM to AES-CTR mode ... Chacha20/Poly1305, AES-GCM (128/256) followed by AES-CTR".
    ciphers: 'chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr',
    // 1:10.0p1-7+deb13u3: "Set default IPQoS for interactive sessions to Expedited Forwarding (EF)";
    // upstream's bulk default CS1 (7.7), which Debian's reverted defaults no longer hide.
    ipqos: 'ef cs1',
    // 1:9.5p1-1: "Report DebianBanner setting in sshd -G/-T output".
    debianbanner: 'yes',
    // 9.8: PerSourcePenalties and PerSourcePenaltyExemptList, on by default; the sshd-session binary.
    persourcepenalties: 'crash:90 authfail:5 noauth:1 grace-exceeded:10 refuseconnection:10 max:600 min:15 max-sources4:65536 max-sources6:65536 overflow:permissive overflow6:permissive',
    persourcepenaltyexemptlist: 'none',
    sshdsessionpath: '/usr/lib/openssh/sshd-session',
    // 9.8: PAMServiceName.
    pamservicename: 'sshd',
    // 9.9: RefuseConnection.
    refuseconnection: 'no',
    // 10.0: "moves the code responsible for the user authentication phase ... to a new sshd-auth binary".
    sshdauthpath: '/usr/lib/openssh/sshd-auth',
    // 9.7: ChannelTimeout gained the "global" type; sshd -T prints "channeltimeout none" when unset.
    channeltimeout: 'none',
  },
};

/** The keywords 9.2p1's sshd -T prints with no line set: derived ones and those without a default. */
const DERIVED = ['port', 'listenaddress', 'hostkey'];

describe('OpenSSH releases as data', () => {
  it('every release other than 9.2p1 has a documented list of changes', () => {
    expect(OTHERS.map((r) => r.name).sort()).toEqual(Object.keys(DOCUMENTED).sort());
  });

  for (const r of OTHERS) {
    describe(r.name, () => {
      it("keeps every keyword of 9.2p1's row, and prints each keyword it has a default for", () => {
        for (const k of Object.keys(BASE.defaults)) expect(r.defaults, k).toHaveProperty(k);
        for (const k of Object.keys(r.defaults)) expect(r.dumpOrder, k).toContain(k);
        expect(new Set(r.dumpOrder).size).toBe(r.dumpOrder.length);
        // A keyword with no default line in 9.2p1 has none here either (AllowUsers, Subsystem, ...),
        // unless a documented change gives it one.
        const noDefault = (x: typeof r) => x.dumpOrder.filter((k) => x.defaults[k] === undefined && !DERIVED.includes(k));
        expect(noDefault(r)).toEqual(noDefault(BASE).filter((k) => DOCUMENTED[r.name]![k] === undefined));
        // 9.2p1's keywords keep their relative order.
        expect(r.dumpOrder.filter((k) => BASE.dumpOrder.includes(k))).toEqual(BASE.dumpOrder);
      });

      it('differs from 9.2p1 exactly by the documented changes', () => {
        const diff: Record<string, string | null> = {};
        for (const k of new Set([...Object.keys(BASE.defaults), ...Object.keys(r.defaults)])) {
          if (BASE.defaults[k] !== r.defaults[k]) diff[k] = r.defaults[k] ?? null;
        }
        expect(diff).toEqual(DOCUMENTED[r.name]);
      });

      it('defaults only to algorithms the release supports, with DSA gone in 10.0', () => {
        for (const [k, set] of Object.entries(r.algorithms)) {
          for (const n of set.defaults) expect(set.all, `${k} ${n}`).toContain(n);
          expect(r.defaults[k]).toBe(set.defaults.join(','));
        }
        if (r.name === '10.0p1') {
          expect(r.algorithms.hostkeyalgorithms!.all.filter((n) => n.startsWith('ssh-dss'))).toEqual([]);
          expect(r.algorithms.kexalgorithms!.all).toContain('mlkem768x25519-sha256');
          // The modp groups are still supported (only no longer a default): `+` can add them back.
          const eff = effective(parse('KexAlgorithms +diffie-hellman-group14-sha256\nHostKeyAlgorithms +ssh-dss\n', { file: '/x' }), { openssh: r.name, all: true, files: new MemoryFileSource({}) });
          expect(eff.diagnostics.map((d) => d.message)).toEqual(["Bad key types '+ssh-dss'."]);
          const ok = effective(parse('KexAlgorithms +diffie-hellman-group14-sha256\n', { file: '/x' }), { openssh: r.name, all: true, files: new MemoryFileSource({}) });
          expect(ok.get('kexalgorithms')).toEqual([`${r.defaults.kexalgorithms},diffie-hellman-group14-sha256`]);
        }
      });

      it("holds values fwconf's own readers take and print back unchanged", () => {
        const unknown: string[] = [];
        let checked = 0;
        for (const [k, v] of Object.entries(r.defaults)) {
          const kw = written(k);
          if (!kw) {
            unknown.push(k);
            continue;
          }
          const eff = effective(parse(`${kw} ${v}\n`, { file: '/x' }), { openssh: r.name, all: true, files: new MemoryFileSource({}) });
          expect({ k, diagnostics: eff.diagnostics.map((d) => d.message) }).toEqual({ k, diagnostics: [] });
          expect({ k, value: eff.get(k) }).toEqual({ k, value: [v] });
          checked++;
        }
        expect(checked).toBeGreaterThan(80);
        // Keywords newer than 9.2p1's table (`written` looks there) are read back in the 10.0p1 cases below.
        expect(unknown.sort()).toEqual(r.name === '10.0p1' ? ['pamservicename', 'persourcepenalties', 'persourcepenaltyexemptlist', 'refuseconnection', 'sshdauthpath', 'sshdsessionpath'] : []);
      });

      if (r.name === '10.0p1') {
        // What the Debian-patched 10.0p1 tree built here printed (`sshd -T -f F` of each one-line file;
        // see the notes of issue 18): where 10.0p1 reads a value otherwise than 9.2p1.
        const OBSERVED: [string, string][] = [
          ['IPQoS lowdelay throughput', 'ipqos none none'],
          ['IPQoS 16', 'ipqos 0x10 0x10'],
          ['IPQoS 016', 'ipqos 0x10 0x10'],
          ['IPQoS af21 lowdelay', 'ipqos af21 none'],
          ['IPQoS 0x10', 'error: Bad IPQoS value: 0x10'],
          ['PermitListen 80 ""', 'error: PermitListen bad port number'],
          ['PermitOpen ""', 'error: PermitOpen bad port number'],
          ['PermitOpen any a:1', 'permitopen any a:1'],
          ['PermitOpen a:1 any', 'error: any must appear alone on a PermitOpen line.'],
          ['PermitOpen a:1 b:2', 'permitopen a:1 b:2'],
          ['PermitListen none', 'permitlisten none'],
        ];
        it.each(OBSERVED)('reads %s as its sshd does', (line, want) => {
          const key = line.split(' ')[0]!.toLowerCase();
          const eff = effective(parse(`${line}\n`, { file: '/x' }), { openssh: r.name, files: new MemoryFileSource({}) });
          const got = eff.diagnostics.length ? `error: ${eff.diagnostics[0]!.message}` : `${key} ${eff.get(key)!.join(' ')}`;
          expect(got).toBe(want);
        });
      }

      if (r.name === '10.0p1') {
        // The keywords 10.0p1's servconf.c keywords[] adds, and DebianBanner, which its dump_config()
        // prints: what the Debian-patched 10.0p1 binary printed for each file (`sshd -T -f F -h KEY`,
        // `-C user=x,host=h,addr=1.2.3.4` for the Match cases; see the notes of issue 18).
        const PEN = (crash: string, authfail: string, overflow: string) =>
          `persourcepenalties crash:${crash} authfail:${authfail} noauth:1 grace-exceeded:10 refuseconnection:10 max:600 min:15 max-sources4:65536 max-sources6:65536 overflow:${overflow} overflow6:${overflow}`;
        const NEW: [file: string, key: string, want: string][] = [
          ['PAMServiceName sshd-alt', 'pamservicename', 'pamservicename sshd-alt'],
          ['PerSourcePenalties no', 'persourcepenalties', 'persourcepenalties no'],
          ['PerSourcePenalties yes', 'persourcepenalties', PEN('90', '5', 'permissive')],
          ['PerSourcePenalties crash:1m overflow:deny-all', 'persourcepenalties', PEN('60', '5', 'deny-all')],
          ['PerSourcePenalties crash:5\nPerSourcePenalties crash:7 authfail:3', 'persourcepenalties', PEN('5', '3', 'permissive')],
          ['PerSourcePenalties no crash:1', 'persourcepenalties', 'error: keyword PerSourcePenalties "no" argument must appear alone.'],
          ['PerSourcePenalties crash:x', 'persourcepenalties', 'error: invalid PerSourcePenalties time value.'],
          ['PerSourcePenalties bogus:1', 'persourcepenalties', 'error: unsupported PerSourcePenalties keyword bogus:1'],
          ['PerSourcePenalties max-sources6:', 'persourcepenalties', 'error: PerSourcePenalties value missing.'],
          ['PerSourcePenaltyExemptList 10.0.0.0/8,192.168.1.1', 'persourcepenaltyexemptlist', 'persourcepenaltyexemptlist 10.0.0.0/8,192.168.1.1'],
          ['PerSourcePenaltyExemptList 10.0.0.0/33', 'persourcepenaltyexemptlist', 'error: keyword PerSourcePenaltyExemptList invalid address argument.'],
          ['SshdSessionPath /opt/sshd-session', 'sshdsessionpath', 'sshdsessionpath /opt/sshd-session'],
          ['SshdAuthPath /opt/sshd-auth', 'sshdauthpath', 'sshdauthpath /opt/sshd-auth'],
          ['RefuseConnection yes', 'refuseconnection', 'refuseconnection yes'],
          ['RefuseConnection maybe', 'refuseconnection', 'error: unsupported option "maybe".'],
          ['DebianBanner no', 'debianbanner', 'debianbanner no'],
          // Subsystem: a second definition is skipped, arguments re-quoted (9.2p1: fatal; joined by spaces).
          ['Subsystem a /x\\nSubsystem a /y', 'subsystem', 'subsystem a /x'],
          ['Subsystem sftp "/usr/lib/sftp server" -l "a b"', 'subsystem', 'subsystem sftp "/usr/lib/sftp server" -l "a b"'],
          [`Subsystem a '/x\\y' "q'"`, 'subsystem', "subsystem a /x\\\\y q\\'"],
          ['Match User x\n RefuseConnection yes\n PAMServiceName alt', 'refuseconnection', 'refuseconnection yes'],
          ['Match User x\n RefuseConnection yes\n PAMServiceName alt', 'pamservicename', 'pamservicename alt'],
          ['Match User x\n PerSourcePenalties no', 'persourcepenalties', "error: Directive 'PerSourcePenalties' is not allowed within a Match block"],
        ];
        const connection = { user: 'x', host: 'h', addr: '1.2.3.4' };
        it.each(NEW)('reads %j (%s) as its sshd does', (text, key, want) => {
          const eff = effective(parse(`${text.replace(/\\n/g, '\n')}\n`, { file: '/x' }), { openssh: r.name, all: true, connection, files: new MemoryFileSource({}) });
          const got = eff.diagnostics.length ? `error: ${eff.diagnostics[0]!.message}` : `${key} ${eff.get(key)!.join(' ')}`;
          expect(got).toBe(want);
        });
        it.each([...new Set(NEW.filter(([t]) => !/^(Match|DebianBanner|Subsystem) /.test(t)).map(([t]) => t.split(' ')[0]!))])(
          '%s is still a bad option for 9.2p1, and is not a bad option for 10.0p1',
          (kw) => {
            const doc = parse(`${kw} x\n`, { file: '/x' });
            const old = effective(doc, { openssh: '9.2p1', files: new MemoryFileSource({}) });
            expect(old.diagnostics.map((d) => [d.code, d.message])).toEqual([['sshd/unknown-keyword', `Bad configuration option: ${kw}`]]);
            const dflt = effective(doc, { files: new MemoryFileSource({}) });
            expect(dflt.diagnostics.map((d) => d.message)).toEqual([`Bad configuration option: ${kw}`]);
            const now = effective(doc, { openssh: r.name, files: new MemoryFileSource({}) });
            expect(now.diagnostics.map((d) => d.code)).not.toContain('sshd/unknown-keyword');
          },
        );
        it('prints the set new keywords without `all` too, in its dump order', () => {
          const doc = parse('RefuseConnection yes\nPasswordAuthentication no\nPAMServiceName alt\n', { file: '/x' });
          expect(effective(doc, { openssh: r.name, files: new MemoryFileSource({}) }).toString()).toBe('pamservicename alt\npasswordauthentication no\nrefuseconnection yes\n');
        });
        it('check takes the release too', () => {
          const doc = parse('RefuseConnection yes\nPerSourcePenalties no\n', { file: '/x' });
          expect(check(doc, { openssh: r.name, files: new MemoryFileSource({}) })).toEqual([]);
          expect(check(doc, { files: new MemoryFileSource({}) }).map((d) => d.code)).toEqual(['sshd/unknown-keyword', 'sshd/unknown-keyword']);
        });
        it('9.2p1 still refuses a second Subsystem of a name and joins its arguments with spaces', () => {
          const two = effective(parse('Subsystem a /x\nSubsystem a /y\n', { file: '/x' }), { openssh: '9.2p1', files: new MemoryFileSource({}) });
          expect(two.diagnostics.map((d) => d.message)).toEqual(["Subsystem 'a' already defined."]);
          const quoted = effective(parse('Subsystem sftp "/usr/lib/sftp server" -l "a b"\n', { file: '/x' }), { openssh: '9.2p1', files: new MemoryFileSource({}) });
          expect(quoted.get('subsystem')).toEqual(['sftp /usr/lib/sftp server -l a b']);
        });
        it('DebianBanner sets a value 9.2p1 does not print', () => {
          const doc = parse('DebianBanner no\n', { file: '/x' });
          expect(effective(doc, { openssh: '9.2p1', all: true, files: new MemoryFileSource({}) }).get('debianbanner')).toBeUndefined();
        });
      }

      it('prints a line for every keyword of its dump order with an empty file, in that order', () => {
        const eff = effective(parse('', { file: '/x' }), { openssh: r.name, all: true, files: new MemoryFileSource({}) });
        const keys = [...new Set(eff.entries.map((e) => e.keyword))];
        expect(keys).toEqual(r.dumpOrder.filter((k) => r.defaults[k] !== undefined || DERIVED.includes(k)));
      });
    });
  }
});
