/**
 * The validation helper the exported role copies to each host's scratch directory (roles/fwconf/files/
 * fwconf_check.py): it stages the parts of the tree below fwconf_root that sshd and fail2ban read and runs
 * their own checkers on it, as apply validates the tree it installs. Python, because Ansible needs Python
 * on every host anyway.
 */
export const ANSIBLE_CHECK_PY = String.raw`#!/usr/bin/env python3
"""Validation helper of the fwconf role, written by 'fwconf export ansible'.

The daemons check a file only as part of their whole configuration, so the role copies the parts of
the host's tree they read (below fwconf_root) into a scratch directory, puts the new files there, and
runs the daemons' own checkers on that staged tree, as 'fwconf apply' does on the tree it installs:

  stage ROOT STAGE DIR...             copy ROOT's sshd and fail2ban configuration to STAGE/tree, make DIRs
  sshd ROOT STAGE DROPIN [PATH FILE]  sshd -t on the staged main config, its Include paths re-rooted
  fail2ban ROOT STAGE [PATH FILE]     fail2ban-client -c STAGE/tree/etc/fail2ban -t

PATH FILE: put FILE (the %s of an Ansible 'validate') at the daemon path PATH of the staged tree first.
"""
import os
import re
import shutil
import subprocess
import sys

STAGED = ('etc/ssh/sshd_config', 'etc/ssh/sshd_config.d', 'etc/fail2ban')


def below(root, path):
    """A daemon path below ROOT (ROOT / gives the path itself)."""
    return os.path.join(root, path.lstrip('/')) if root.rstrip('/') else path


def program(name):
    """NAME found on PATH, then in the system directories."""
    path = os.environ.get('PATH', '') + ':/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    return shutil.which(name, path=path)


def stage(root, stage_dir, dirs):
    tree = os.path.join(stage_dir, 'tree')
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(tree)
    for rel in STAGED:
        src = os.path.join(root, rel)
        dst = os.path.join(tree, rel)
        if os.path.isdir(src):
            shutil.copytree(src, dst, ignore_dangling_symlinks=True)
        elif os.path.isfile(src):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst)
    for d in dirs:
        os.makedirs(below(tree, d), exist_ok=True)
    return 0


def place(tree, path, candidate):
    if path is not None:
        target = below(tree, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(candidate, target)


def scan(line):
    """sshd's splitting of a line: white space separates, double quotes quote, '#' starts a comment.
    Returns the tokens as (text, start, end) and where the comment starts (None without one), or None
    on an unbalanced quote."""
    out = []
    i = len(re.match(r'[ \t]*', line).group(0))
    first = True
    while i < len(line):
        if line[i] in ' \t\f':
            i += 1
            continue
        if line[i] == '#':
            return out, i
        start = i
        tok = ''
        while i < len(line) and line[i] not in ' \t' and not (first and line[i] == '='):
            if line[i] == '"':
                end = line.find('"', i + 1)
                if end < 0:
                    return None
                tok += line[i + 1:end]
                i = end + 1
                continue
            tok += line[i]
            i += 1
        out.append((tok, start, i))
        if first:
            i += len(re.match(r'[ \t]*=?', line[i:]).group(0))
            first = False
    return out, None


def quote(arg):
    """An argument quoted when sshd would otherwise split or read it differently."""
    if arg != '' and not re.search(r'[\s"\'\\#]', arg):
        return arg
    return '"' + re.sub(r'([\\"])', r'\\\1', arg) + '"'


def reroot(text, mapper):
    """Every Include argument made absolute and mapped, as fwconf apply re-roots them: the line keeps
    what is before its arguments (indentation, keyword, separator), a trailing comment and its ending."""
    lines = text.split('\n')
    for n, raw in enumerate(lines):
        cr = '\r' if raw.endswith('\r') else ''
        body = raw[:-1] if cr else raw
        scanned = scan(body)
        if scanned is None or len(scanned[0]) < 2 or scanned[0][0][0].lower() != 'include':
            continue
        toks, comment = scanned
        args = [mapper(a if a.startswith('/') else '/etc/ssh/' + a) for a, _, _ in toks[1:]]
        tail = '' if comment is None else body[toks[-1][2]:]
        if tail and tail[0] not in ' \t':
            tail = ' ' + tail
        lines[n] = body[:toks[1][1]] + ' '.join(quote(a) for a in args) + tail + cr
    return '\n'.join(lines)


def run(argv):
    prog = program(argv[0])
    if prog is None:
        sys.stderr.write('%s: not found on PATH\n' % argv[0])
        return 127
    r = subprocess.run([prog] + argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    sys.stdout.write(r.stdout.decode('utf-8', 'replace'))
    return r.returncode


def sshd(root, stage_dir, dropin, path=None, candidate=None):
    tree = os.path.join(stage_dir, 'tree')
    place(tree, path, candidate)
    main_config = below(tree, '/etc/ssh/sshd_config')
    if os.path.isfile(main_config):
        with open(main_config, 'rb') as f:
            text = f.read().decode('utf-8', 'surrogateescape')
    else:
        # No main config: the drop-in alone (sshd would not read it until a sshd_config includes it).
        text = 'Include %s\n' % dropin

    def staged(p):
        return below(tree, p) if p.startswith('/etc/ssh/') else below(root, p)

    wrapper = os.path.join(stage_dir, 'sshd_config.check')
    with open(wrapper, 'wb') as f:
        f.write(reroot(text, staged).encode('utf-8', 'surrogateescape'))
    return run(['sshd', '-t', '-f', wrapper])


def fail2ban(root, stage_dir, path=None, candidate=None):
    tree = os.path.join(stage_dir, 'tree')
    place(tree, path, candidate)
    del root
    return run(['fail2ban-client', '-c', below(tree, '/etc/fail2ban'), '-t'])


def main(argv):
    if len(argv) >= 3 and argv[0] == 'stage':
        return stage(argv[1], argv[2], argv[3:])
    if len(argv) in (4, 6) and argv[0] == 'sshd':
        return sshd(*argv[1:])
    if len(argv) in (3, 5) and argv[0] == 'fail2ban':
        return fail2ban(*argv[1:])
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
`;
