// `fwconf sshd effective --all` as a whole process against `sshd -T` on the same file (the
// baseline, measured in the same run): a 2,000-line sshd_config with 280 Match blocks.
// Target: at most 3x sshd -T. Run: npm run bench -- sshd-effective
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SSHD = '/usr/sbin/sshd';
if (!existsSync(SSHD)) {
  console.log('sshd-effective: skipped, /usr/sbin/sshd is not installed (Debian package openssh-server)');
  process.exit(0);
}
const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fwconf-bench-sshd-'));
try {
  const key = join(dir, 'key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  const lines = ['Port 2201', 'PermitRootLogin no', 'PasswordAuthentication no', 'X11Forwarding no'];
  const global = ['MaxAuthTries 3', 'LoginGraceTime 30', 'ClientAliveInterval 300', 'AllowTcpForwarding no', 'Banner none', 'PrintMotd no'];
  for (let i = 0; lines.length < 2000 - 280 * 6; i++) lines.push(`# global ${i}`, global[i % global.length]);
  for (let m = 0; m < 280; m++) {
    lines.push(`Match User u${m},admin${m % 7} Address 10.${m % 256}.0.0/16`, '  PasswordAuthentication yes', '  X11Forwarding yes', '  MaxAuthTries 5', `  Banner /etc/issue.${m}`, '  AllowTcpForwarding yes');
  }
  const file = join(dir, 'sshd_config');
  writeFileSync(file, lines.join('\n') + '\n');
  const conn = 'user=u7,host=h.example,addr=10.7.1.1,laddr=192.0.2.1,lport=2201';
  // Interleaved rounds, the best of each: on a shared machine the runs of one round see the same load.
  // FWCONF_BENCH_CLI=path measures another build's dist/cli/main.js in the same run (a before/after).
  const runs = {
    sshd: [SSHD, ['-T', '-f', file, '-h', key, '-C', conn]],
    node: [process.execPath, ['-e', '0']],
    fwconf: [process.execPath, [cli, 'sshd', 'effective', file, '--all', '--connection', conn]],
    ...(process.env.FWCONF_BENCH_CLI ? { other: [process.execPath, [process.env.FWCONF_BENCH_CLI, 'sshd', 'effective', file, '--all', '--connection', conn]] } : {}),
  };
  const best = Object.fromEntries(Object.keys(runs).map((k) => [k, Infinity]));
  for (let round = 0; round < 11; round++) {
    for (const [k, [cmd, args]] of Object.entries(runs)) {
      const s = performance.now();
      const r = spawnSync(cmd, args, { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
      best[k] = Math.min(best[k], performance.now() - s);
    }
  }
  const base = best.sshd;
  const ours = best.fwconf;
  const nodeStart = best.node;
  console.log(`file: ${lines.length} lines, 280 Match blocks`);
  console.log(`sshd -T -C (baseline)         ${base.toFixed(1)} ms`);
  console.log(`node -e 0                     ${nodeStart.toFixed(1)} ms  ratio ${(nodeStart / base).toFixed(2)}x (node's own start, the floor of any node CLI)`);
  console.log(`fwconf sshd effective --all   ${ours.toFixed(1)} ms  ratio ${(ours / base).toFixed(2)}x (target <= 3x); above node's floor ${(ours - nodeStart).toFixed(1)} ms = ${((ours - nodeStart) / base).toFixed(2)}x sshd -T`);
  if (best.other !== undefined) console.log(`  ${process.env.FWCONF_BENCH_CLI}: ${best.other.toFixed(1)} ms; above node's floor ${(best.other - nodeStart).toFixed(1)} ms`);
  const { sshd } = await import(new URL('../dist/index.js', import.meta.url).href);
  const text = lines.join('\n') + '\n';
  const c = { user: 'u7', host: 'h.example', addr: '10.7.1.1', laddr: '192.0.2.1', lport: 2201 };
  let inProcess = Infinity;
  for (let i = 0; i < 20; i++) {
    const s = performance.now();
    sshd.effective(sshd.parse(text, { file }), { connection: c, all: true }).toString();
    inProcess = Math.min(inProcess, performance.now() - s);
  }
  console.log(`parse + effective --all, in process  ${inProcess.toFixed(1)} ms  ratio ${(inProcess / base).toFixed(2)}x sshd -T's whole run`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
