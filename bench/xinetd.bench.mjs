// Parses a generated xinetd.d-style file of 5,000 service entries (~75,000 lines) and, in the same
// run, the floor: split lines and match each with one regex. Prints times and ratios for parse,
// parse + toJSON, an edit in every 100th service, and check.
//
// Run: npm run bench -- xinetd   (or, after a build, node bench/xinetd.bench.mjs [services])
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, process.env.FWCONF_DIST ?? '../dist');
const { xinetd } = await import(pathToFileURL(join(dist, 'index.js')).href);
const N = Number(process.argv[2] ?? 5000);

let text = '# generated\n';
for (let i = 0; i < N; i++) {
  text += `# service ${i}\nservice svc-${i}\n{\n\ttype\t\t= UNLISTED\n\tsocket_type\t= stream\n\tprotocol\t= tcp\n\tport\t\t= ${10000 + (i % 50000)}\n\twait\t\t= no\n\tuser\t\t= nobody\n\tserver\t\t= /bin/cat\n\tserver_args\t= -n x${i}\n\tonly_from\t= 10.0.0.0/8 127.0.0.1\n\tlog_on_success\t+= HOST PID\n\tinstances\t= 10\n}\n\n`;
}
const lines = text.split('\n').length;

function time(fn, reps = 5) {
  fn();
  const ts = [];
  for (let r = 0; r < reps; r++) {
    globalThis.gc?.();
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return ts.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

const floorRe = /^[ \t]*([^ \t=]+)[ \t]+(\+=|-=|=)[ \t]*(.*)$/;
const floor = time(() => {
  let n = 0;
  for (const l of text.split('\n')) if (floorRe.exec(l)) n++;
  return n;
});
const parse = time(() => xinetd.parse(text));
const model = time(() => xinetd.parse(text).toJSON());
const check = time(() => xinetd.check(xinetd.parse(text)));
const edit = time(() => {
  const doc = xinetd.parse(text);
  const services = doc.services();
  for (let i = 0; i < services.length; i += 100) services[i].set('port', 2222);
  return doc.toString();
}, 3);
const roundtrip = xinetd.parse(text).toString() === text;

console.log(`${N} services, ${lines} lines, ${(text.length / 1e6).toFixed(1)} MB; round trip ${roundtrip ? 'exact' : 'DIFFERS'}`);
console.log(`floor (split + one regex per line): ${floor.toFixed(1)} ms`);
for (const [name, ms] of [
  ['parse', parse],
  ['parse + toJSON', model],
  ['parse + check', check],
  [`parse + ${Math.ceil(N / 100)} edits + toString`, edit],
])
  console.log(`${name.padEnd(34)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / floor).toFixed(1)}× floor`);
