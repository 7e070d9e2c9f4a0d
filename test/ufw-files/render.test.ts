// render --ufw-files: ufw's own files for the spec's ufw part, which read back (offline status) as the
// state the ufw script leads to.
import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../src/core/files.js';
import { DEFAULT_SPEC } from '../../src/builder/default-spec.js';
import { render } from '../../src/builder/render.js';
import { ufwState } from '../../src/builder/ufw.js';
import { statusText } from '../../src/ufw/layout.js';
import { checkTree, readTree, statusOutput, showAdded } from '../../src/ufw-files/index.js';
import { runCli } from '../cli/capture-io.js';

describe('render with ufw files', () => {
  it('gives user.rules, user6.rules, ufw.conf and /etc/default/ufw whose status is the script\'s state', () => {
    const r = render(DEFAULT_SPEC, { ufw: 'files' });
    const ufw = r.files.filter((f) => f.service === 'ufw');
    expect(ufw.map((f) => [f.path, f.format])).toEqual([
      ['/etc/ufw/user.rules', 'ufw-rules'],
      ['/etc/ufw/user6.rules', 'ufw-rules'],
      ['/etc/ufw/ufw.conf', 'ufw-conf'],
      ['/etc/default/ufw', 'ufw-conf'],
    ]);
    expect(r.files.some((f) => f.path === '/etc/fwconf/ufw.sh')).toBe(false);
    const tree = readTree(new MemoryFileSource(Object.fromEntries(ufw.map((f) => [f.path, f.content]))), '/');
    expect(checkTree(tree)).toEqual([]);
    const state = ufwState(DEFAULT_SPEC.ufw!, 'ufw');
    expect(state.rules.length).toBeGreaterThan(0);
    expect(statusOutput(tree, 'verbose', { forwarding: false })).toBe(statusText(state, 'verbose'));
    expect(showAdded(tree)).toMatch(/^ufw allow 2201\/tcp$/m);
  });

  it('renders the script by default, and the files with --ufw-files', async () => {
    expect(render(DEFAULT_SPEC).files.some((f) => f.path === '/etc/fwconf/ufw.sh')).toBe(true);
    const r = await runCli(['render', '--ufw-files', '--json']);
    expect(r.code).toBe(0);
    const paths = JSON.parse(r.out).files.map((f: { path: string }) => f.path);
    expect(paths).toContain('/etc/ufw/user.rules');
    expect(paths).not.toContain('/etc/fwconf/ufw.sh');
  });
});
