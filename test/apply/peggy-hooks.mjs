// Module hooks: a `.peggy` import becomes the ES module peggy generates for it.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import peggy from 'peggy';

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.peggy')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const source = peggy.generate(await readFile(path, 'utf8'), { output: 'source', format: 'es', allowedStartRules: ['*'], grammarSource: path });
  return { format: 'module', source, shortCircuit: true };
}
