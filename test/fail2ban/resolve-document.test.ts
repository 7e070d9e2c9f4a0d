/**
 * fail2ban's semantics verb takes a Document: `resolve(doc)` reads the tree the Document belongs to
 * with the Document's current text in its place, so an edit is seen before it is written; the result
 * equals resolving the tree with the edited file written into it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryFileSource, OverlayFileSource } from '../../src/core/files.js';
import { parse, resolve, syntax } from '../../src/fail2ban/index.js';

const { confDirOf } = syntax;

const ETC = join(import.meta.dirname, '..', '..', 'fixtures', 'fail2ban', 'debian-etc');

function tree(extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out['/etc/fail2ban/' + relative(ETC, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(ETC);
  return { ...out, '/var/log/auth.log': '', ...extra };
}

const LOCAL = '[sshd]\nenabled = true\nbackend = polling\nlogpath = /var/log/auth.log\n';

describe('fail2ban resolve(doc)', () => {
  it('sees an edit of the Document before it is written, as the tree with the edited file would read', () => {
    const files = new MemoryFileSource(tree({ '/etc/fail2ban/jail.local': LOCAL }));
    const doc = parse(LOCAL, { file: '/etc/fail2ban/jail.local' });
    doc.set('sshd', 'maxretry', '3');
    const fromDoc = resolve(doc, { files });
    const fromDir = resolve('/etc/fail2ban', { files });
    const written = resolve('/etc/fail2ban', { files: new MemoryFileSource(tree({ '/etc/fail2ban/jail.local': doc.toString() })) });
    expect(fromDoc.jails.find((j) => j.name === 'sshd')!.options.maxretry).toBe(3);
    expect(fromDir.jails.find((j) => j.name === 'sshd')!.options.maxretry).toBe(5);
    expect(fromDoc.commands).toEqual(written.commands);
    expect(fromDoc.commands).not.toEqual(fromDir.commands);
  });

  it('places a file of jail.d in its configuration directory, and adds a file the tree did not have', () => {
    expect(confDirOf('/etc/fail2ban/jail.d/fwconf.local')).toBe('/etc/fail2ban');
    expect(confDirOf('/etc/fail2ban/jail.local')).toBe('/etc/fail2ban');
    expect(confDirOf('/srv/f2b/filter.d/thpot.conf')).toBe('/srv/f2b');
    const files = new MemoryFileSource(tree());
    const doc = parse('[nginx-http-auth]\nenabled = true\nbackend = polling\nlogpath = /var/log/auth.log\n', { file: '/etc/fail2ban/jail.d/fwconf.local' });
    expect(resolve('/etc/fail2ban', { files }).jails.map((j) => j.name)).not.toContain('nginx-http-auth');
    expect(resolve(doc, { files }).jails.map((j) => j.name)).toContain('nginx-http-auth');
  });

  it('refuses a Document without a file name, which has no place in a tree', () => {
    expect(() => resolve(parse(LOCAL), { files: new MemoryFileSource(tree()) })).toThrow(/no file name/);
  });
});

describe('core OverlayFileSource', () => {
  it('replaces and adds files, and lists and stats them with the inner source', () => {
    const inner = new MemoryFileSource({ '/a/x': 'old', '/a/y': 'y' });
    const o = new OverlayFileSource(inner, { '/a/x': 'new', '/b/c/z': 'z' });
    expect(o.read('/a/x')).toBe('new');
    expect(o.read('/a/y')).toBe('y');
    expect(new TextDecoder().decode(o.readBytes('/a/x')!)).toBe('new');
    expect(o.list('/a')!.sort()).toEqual(['x', 'y']);
    expect(o.list('/')!.sort()).toEqual(['a', 'b']);
    expect(o.stat('/b')).toBe('dir');
    expect(o.stat('/b/c/z')).toBe('file');
    expect(o.stat('/nope')).toBeUndefined();
    expect(o.list('/nope')).toBeUndefined();
  });
});
