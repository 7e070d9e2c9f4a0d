// Edits of a large fail2ban file cost their size: 50 edits (set, add, remove, appendLine and a multi-line
// set, spread over the file) on a generated jail file of ~80,000 lines, against the parse alone in the
// same run, then the same on the file twice as large: the time an edit takes must not grow with the
// file (an edit reads again only the section it is in; before, each edit parsed the whole file again).
// Columns: mixed = the 50 edits; set = 50 one-line values replaced (the line count stays); add/rm = keys
// added and removed (each moves the lines after it in the document's line array); splice = the bare
// Array.prototype.splice of one line in an array like the document's, the floor of add/rm (V8 moves
// every element of an old-generation array with its write barrier, ~2 ns a line); and a section added,
// set and removed.
//
// FWCONF_BASELINE_DIST=DIR also runs every case on another build (say, one of the code before this
// change) in the same process and prints both.
//
// Run: npm run bench -- fail2ban-edits   (or, after a build, node --expose-gc bench/fail2ban-edits.bench.mjs [jails])
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const load = async (dir) => (await import(pathToFileURL(join(resolve(here, dir), 'index.js')).href)).fail2ban;
const builds = [['this build', await load(process.env.FWCONF_DIST ?? '../dist')]];
if (process.env.FWCONF_BASELINE_DIST) builds.push([`baseline ${process.env.FWCONF_BASELINE_DIST}`, await load(process.env.FWCONF_BASELINE_DIST)]);
const JAILS = Number(process.argv[2] ?? 10_000);
const EDITS = 50;

/** A jail file of `n` jails, 8 lines each (a DEFAULT section first). */
function jailText(n) {
  let t = '[DEFAULT]\nbantime  = 10m\nfindtime = 10m\n';
  for (let i = 0; i < n; i++)
    t += `\n[jail${i}]\nenabled  = true\nport     = ${1000 + (i % 60000)}\nlogpath  = /var/log/j${i}.log\nfailregex = ^x${i} <HOST>$\n            ^y${i} <HOST>$\nmaxretry = 3\n`;
  return t;
}

const jailOf = (e, n) => `jail${Math.floor(((e + 0.5) * n) / EDITS)}`;

/** The 50 edits, one every n/50 jails, five kinds in turn. */
function mixed(doc, n, round) {
  for (let e = 0; e < EDITS; e++) {
    const j = jailOf(e, n);
    switch (e % 5) {
      case 0:
        doc.set(j, 'port', String(2000 + round));
        break;
      case 1:
        doc.set(j, `added${round}`, 'yes');
        break;
      case 2:
        doc.remove(j, 'maxretry') || doc.set(j, 'maxretry', '3');
        break;
      case 3:
        doc.appendLine(j, 'failregex', `^z${round} <HOST>$`);
        break;
      default:
        doc.set(j, 'logpath', `/var/log/a${round}.log\n/var/log/b${round}.log`);
    }
  }
}

/** 50 edits that keep the number of lines: a new one-line value. */
function sets(doc, n, round) {
  for (let e = 0; e < EDITS; e++) doc.set(jailOf(e, n), 'enabled', round % 2 ? 'true' : 'false');
}

/** 25 keys added and 25 removed again: each moves the lines after it in the line array. */
function addRemove(doc, n, round) {
  for (let e = 0; e < EDITS / 2; e++) doc.set(jailOf(e, n), `k${round}`, 'v');
  for (let e = 0; e < EDITS / 2; e++) doc.remove(jailOf(e, n), `k${round}`);
}

function sections(doc, round) {
  doc.addSection(`new${round}`);
  doc.set(`new${round}`, 'enabled', 'true');
  doc.removeSection(`new${round}`);
}

/**
 * Fastest of `reps` runs, in CPU time of this process (ms): on a shared machine another process slows a
 * run's wall time down (most with the longer runs, the larger file), not its CPU time.
 */
function best(fn, reps) {
  let min = Infinity;
  for (let r = 0; r < reps; r++) {
    globalThis.gc?.();
    const t = process.cpuUsage();
    fn(r);
    const { user, system } = process.cpuUsage(t);
    min = Math.min(min, (user + system) / 1000);
  }
  return min;
}

function measure(fail2ban, n, reps, all) {
  const text = jailText(n);
  const lines = text.split('\n').length - 1;
  const parse = best(() => fail2ban.parse(text), Math.min(reps, 5));
  const doc = fail2ban.parse(text);
  mixed(doc, n, -1); // warm-up (the first edit's snapshot of the parsed lines is paid here)
  const m = { lines, parse, mixed: best((r) => mixed(doc, n, r), reps) / EDITS };
  if (all) {
    m.sets = best((r) => sets(doc, n, r), reps) / EDITS;
    m.addRemove = best((r) => addRemove(doc, n, r), reps) / EDITS;
    m.sections = best((r) => sections(doc, r), reps);
    // The floor of a line added or removed: Array.prototype.splice in an array like the document's (grown
    // by push, in the old generation, where V8 moves every element past the splice with its write barrier).
    const nodes = [];
    for (const l of doc.nodes) nodes.push(l);
    globalThis.gc?.();
    globalThis.gc?.();
    m.splice =
      best(() => {
        for (let e = 0; e < EDITS / 2; e++) nodes.splice(Math.floor(((e + 0.5) * nodes.length) / EDITS), 0, { raw: 'x\n' });
        for (let e = 0; e < EDITS / 2; e++) nodes.splice(Math.floor(((e + 0.5) * nodes.length) / EDITS), 1);
      }, reps) / EDITS;
  }
  // The edited document reads as its text does.
  const fresh = fail2ban.parse(doc.toString());
  if (JSON.stringify(fresh.toJSON()) !== JSON.stringify(doc.toJSON())) throw new Error('the edited document differs from a parse of its text');
  return m;
}

const us = (ms) => `${(ms * 1000).toFixed(0).padStart(6)} µs`;
console.log(`fail2ban edits: ${EDITS} edits spread over a generated jail file, fastest of several runs (CPU time), µs per edit`);
for (const [name, fail2ban] of builds) {
  const baseline = name !== 'this build';
  // A baseline that parses the file again at every edit gets one run of the 50 mixed edits.
  const reps = baseline ? 1 : 7;
  const a = measure(fail2ban, JAILS, reps, !baseline);
  const b = measure(fail2ban, 2 * JAILS, reps, !baseline);
  const g = (k) => `${(b[k] / a[k]).toFixed(2)}×`;
  console.log(`${name}:`);
  if (baseline) {
    for (const m of [a, b]) console.log(`  ${String(m.lines).padStart(7)} lines: parse ${m.parse.toFixed(1)} ms, ${us(m.mixed)} a mixed edit`);
    console.log(`  at 2× the file: parse ${g('parse')}, mixed edit ${g('mixed')}`);
  } else {
    console.log(`  ${'lines'.padStart(7)}  ${'parse'.padStart(10)}  ${'mixed'.padStart(9)}  ${'set'.padStart(9)}  ${'add/rm'.padStart(9)}  ${'splice'.padStart(9)}  section add+set+remove`);
    for (const m of [a, b])
      console.log(`  ${String(m.lines).padStart(7)}  ${m.parse.toFixed(1).padStart(7)} ms  ${us(m.mixed)}  ${us(m.sets)}  ${us(m.addRemove)}  ${us(m.splice)}  ${m.sections.toFixed(2)} ms`);
    console.log(`  at 2× the file: parse ${g('parse')}, mixed edit ${g('mixed')}, set ${g('sets')}, add/remove ${g('addRemove')}, bare splice ${g('splice')}`);
  }
  console.log(`  50 mixed edits on ${a.lines} lines: ${(a.mixed * EDITS).toFixed(1)} ms against ${a.parse.toFixed(1)} ms for the parse alone (${((a.mixed * EDITS) / a.parse).toFixed(3)}×)`);
  // The target: an edit that keeps the line count costs the same in a file twice as large.
  if (!baseline && b.sets / a.sets >= 2) {
    console.log('  a set costs twice as much in a file twice as large: above the target');
    process.exitCode = 1;
  }
}
