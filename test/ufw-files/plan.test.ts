// Apply's plan for ufw's own files (fwconf ufw restore, render --ufw-files): iptables-restore tests the
// user rule files, ufw reloads them (or enables ufw when the files say ENABLED=yes), and the lockout
// guard reads the SSH port out of the planned tuples.
import { describe, expect, it } from 'vitest';
import { executePlan, planApply, RecordingExecutor } from '../../src/apply/index.js';
import type { RenderedFile } from '../../src/builder/model.js';
import { ruleSpec } from '../../src/ufw/model.js';
import { parseRules } from '../../src/ufw-files/index.js';
import { STOCK_UFW_CONF } from '../../src/ufw-conf/stock.js';
import { STOCK_USER_RULES, STOCK_USER6_RULES } from '../../src/ufw-rules/stock.js';

const SSHD = 'Port 22\n';

function rules(ports: string[], v6 = false): string {
  const doc = parseRules(v6 ? STOCK_USER6_RULES : STOCK_USER_RULES, { file: v6 ? 'user6.rules' : 'user.rules' });
  for (const p of ports) doc.addRule(ruleSpec({ action: 'allow', proto: 'tcp', dport: p, v6 }));
  return doc.toString();
}

const file = (path: string, content: string, format: RenderedFile['format'] = 'ufw-rules'): RenderedFile => ({ path, content, format, service: 'ufw', mode: 0o640 });

function exec(enabled: boolean, handler?: (argv: readonly string[]) => { code: number; stdout: string; stderr: string }) {
  return new RecordingExecutor({
    ...(handler ? { handler } : {}),
    files: {
      '/etc/ssh/sshd_config': SSHD,
      '/etc/ufw/ufw.conf': STOCK_UFW_CONF.replace('ENABLED=no', `ENABLED=${enabled ? 'yes' : 'no'}`),
      '/etc/default/ufw': 'DEFAULT_INPUT_POLICY="DROP"\n',
      '/etc/ufw/user.rules': STOCK_USER_RULES,
      '/etc/ufw/user6.rules': STOCK_USER6_RULES,
    },
    live: true,
  });
}

describe('planApply with ufw rule files', () => {
  it('tests user.rules and user6.rules with iptables-restore and reloads ufw', async () => {
    const plan = await planApply([file('/etc/ufw/user.rules', rules(['22', '80'])), file('/etc/ufw/user6.rules', rules(['22'], true))], exec(true));
    expect(plan.validations.map((v) => v.argv)).toEqual([
      ['iptables-restore', '--test', '/etc/ufw/user.rules'],
      ['ip6tables-restore', '--test', '/etc/ufw/user6.rules'],
    ]);
    expect(plan.reloads.map((r) => r.argv)).toEqual([['ufw', 'reload']]);
    expect(plan.lockout).toEqual([]);
  });

  it('enables ufw when the planned ufw.conf says ENABLED=yes', async () => {
    const conf = STOCK_UFW_CONF.replace('ENABLED=no', 'ENABLED=yes');
    const plan = await planApply([file('/etc/ufw/user.rules', rules(['22'])), file('/etc/ufw/ufw.conf', conf, 'ufw-conf')], exec(false));
    expect(plan.reloads.map((r) => r.argv)).toEqual([['ufw', '--force', 'enable']]);
  });

  it('refuses rules that leave the SSH port closed while ufw is enabled', async () => {
    const plan = await planApply([file('/etc/ufw/user.rules', rules(['80']))], exec(true));
    expect(plan.lockout.join('\n')).toMatch(/ufw is enabled without a rule allowing the SSH port \(22\/tcp\)/);
  });

  it('a failed load rolls back to the firewall as it was: ufw reload when the original files enable it, else ufw disable', async () => {
    const conf = STOCK_UFW_CONF.replace('ENABLED=no', 'ENABLED=yes');
    for (const enabled of [false, true]) {
      // ufw fails to start on the new files
      const e = exec(enabled, (argv) => (argv.includes('enable') ? { code: 1, stdout: '', stderr: 'ERROR: problem running ufw-init' } : { code: 0, stdout: '', stderr: '' }));
      const plan = await planApply([file('/etc/ufw/user.rules', rules(['22', '80'])), file('/etc/ufw/ufw.conf', conf, 'ufw-conf')], e);
      const result = await executePlan(plan, e, { lock: undefined });
      expect(result.status).toBe('rolled-back');
      const runs = e.ops.flatMap((o) => (o.op === 'run' ? [o.argv.slice(o.argv.findIndex((a) => a.endsWith('ufw')))] : [])).filter((a) => a.length && a[0]!.endsWith('ufw'));
      expect(runs.map((a) => a.slice(1).join(' '))).toEqual(['--force enable', enabled ? 'reload' : 'disable']);
      // the original files are back
      expect(new TextDecoder().decode(await e.read('/etc/ufw/ufw.conf'))).toContain(`ENABLED=${enabled ? 'yes' : 'no'}`);
    }
  });
});
