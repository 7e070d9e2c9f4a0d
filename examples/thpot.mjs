// tinyhoneypot capture logs: sessions per source address and per service, read as a stream.
// Run: node examples/thpot.mjs
import { summarize } from 'fwconf/thpot';

const log = [
  'Feb 29 13:02:10 SID=56D4334221165.nullresp PID=4837 SRC=192.168.88.242 SPT=47187 ET=00:00:11 BYTES=39\n',
  'Feb 29 13:02:11 SID=56D43343.nullresp PID=4838 SRC=192.168.88.242 SPT=47188\n',
  'Feb 29 13:03:20 SID=56D433885.shell PID=4901 SRC=203.0.113.7 SPT=40022 BYTES=512\n',
];
async function* lines() {
  yield* log;
}
const summary = await summarize(lines(), { file: 'captures' });
console.log(JSON.stringify(summary.toJSON()));
