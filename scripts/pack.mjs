// The package.json that goes into the tarball has no `prepare` script.
//
// In a clone, `prepare` is what builds dist/ on `npm ci`. In the tarball it would do nothing useful (dist/ is
// shipped built) but harm: npm 11 counts `prepare` of a package installed from a file, a directory or git
// as an install script, blocks it and asks the consumer to approve it. npm has no setting that changes the
// packed package.json (`publishConfig` only sets npm's configuration), and it tars the package.json that is
// on disk when it packs. So:
//
//   node scripts/pack.mjs prepack   (npm's `prepack`) builds dist/ if it is stale, keeps a byte-exact copy
//                                   of package.json in node_modules/.cache/fwconf/ (one file per
//                                   checkout) and removes `prepare`;
//   node scripts/pack.mjs postpack  (npm's `postpack`) puts the copy back.
//
// If a pack dies between the two (postpack does not run), the copy stays behind: the next prepack or build
// puts it back, but only while package.json is still exactly what prepack wrote — later edits are kept.
// npm runs `prepare` again while packing; by then it reads the package.json without it, so it builds nothing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifestFile = join(root, 'package.json');
// Named after the checkout: worktrees may share one node_modules/.
export const backupFile = join(root, `node_modules/.cache/fwconf/package.json.${createHash('sha256').update(root).digest('hex').slice(0, 16)}.prepack`);

/** package.json's text as it goes into the tarball: the same JSON without `scripts.prepare`. */
export function packedManifest(text) {
  const manifest = JSON.parse(text);
  if (manifest.scripts) delete manifest.scripts.prepare;
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Puts back the package.json a pack that did not finish left stripped. Returns whether it did. */
export function restoreLeftoverManifest() {
  if (!existsSync(backupFile)) return false;
  const original = readFileSync(backupFile, 'utf8');
  if (readFileSync(manifestFile, 'utf8') === packedManifest(original)) {
    writeFileSync(`${manifestFile}.tmp`, original);
    renameSync(`${manifestFile}.tmp`, manifestFile);
    process.stderr.write('fwconf: put back package.json, which an unfinished `npm pack` had left without its prepare script\n');
  }
  rmSync(backupFile);
  return true;
}

function prepack() {
  restoreLeftoverManifest();
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) return build.status ?? 1;
  const original = readFileSync(manifestFile, 'utf8');
  mkdirSync(dirname(backupFile), { recursive: true });
  writeFileSync(backupFile, original);
  writeFileSync(`${manifestFile}.tmp`, packedManifest(original));
  renameSync(`${manifestFile}.tmp`, manifestFile);
  return 0;
}

function postpack() {
  if (!existsSync(backupFile)) return 0;
  writeFileSync(`${manifestFile}.tmp`, readFileSync(backupFile));
  renameSync(`${manifestFile}.tmp`, manifestFile);
  rmSync(backupFile);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const step = process.argv[2];
  if (step === 'prepack') process.exitCode = prepack();
  else if (step === 'postpack') process.exitCode = postpack();
  else {
    process.stderr.write('usage: node scripts/pack.mjs prepack|postpack\n');
    process.exitCode = 2;
  }
}
