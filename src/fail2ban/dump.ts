/**
 * Reader for `fail2ban-client -d` output: one Python `repr` of a list per line (strings in single or
 * double quotes with `\\ \n \t \xNN \uNNNN` escapes, ints, True/False/None, nested lists, and the
 * dict of `['set', 'thread', {'stacksize': 32}]`).
 */
import type { Command, PyData } from './resolve.js';

/** Parses one printed Python literal; throws a SyntaxError on anything else. */
export function parsePyLiteral(text: string): PyData {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\t')) i++;
  };
  const value = (): PyData => {
    ws();
    const c = text[i];
    if (c === '[') {
      i++;
      const out: PyData[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') {
            i++;
            return out;
          }
          continue;
        }
        if (text[i] === ']') {
          i++;
          return out;
        }
        throw new SyntaxError(`expected , or ] at ${i}`);
      }
    }
    if (c === '{') {
      i++;
      const out: Record<string, PyData> = {};
      ws();
      while (text[i] !== '}') {
        const k = value();
        ws();
        if (typeof k !== 'string' || text[i] !== ':') throw new SyntaxError(`expected a string key and : at ${i}`);
        i++;
        out[k] = value();
        ws();
        if (text[i] === ',') {
          i++;
          ws();
        } else if (text[i] !== '}') throw new SyntaxError(`expected , or } at ${i}`);
      }
      i++;
      return out;
    }
    if (c === "'" || c === '"') {
      const q = c;
      i++;
      let s = '';
      while (i < text.length && text[i] !== q) {
        if (text[i] === '\\') {
          const e = text[i + 1]!;
          i += 2;
          if (e === 'n') s += '\n';
          else if (e === 't') s += '\t';
          else if (e === 'r') s += '\r';
          else if (e === 'x') {
            s += String.fromCodePoint(parseInt(text.slice(i, i + 2), 16));
            i += 2;
          } else if (e === 'u') {
            s += String.fromCodePoint(parseInt(text.slice(i, i + 4), 16));
            i += 4;
          } else if (e === 'U') {
            s += String.fromCodePoint(parseInt(text.slice(i, i + 8), 16));
            i += 8;
          } else s += e;
        } else s += text[i++];
      }
      if (text[i] !== q) throw new SyntaxError('unterminated string');
      i++;
      return s;
    }
    const m = /^(-?\d+|True|False|None)/.exec(text.slice(i));
    if (!m) throw new SyntaxError(`unexpected ${JSON.stringify(text.slice(i, i + 20))}`);
    i += m[0].length;
    return m[0] === 'True' ? true : m[0] === 'False' ? false : m[0] === 'None' ? null : Number(m[0]);
  };
  const v = value();
  ws();
  if (i !== text.length) throw new SyntaxError(`trailing text at ${i}`);
  return v;
}

/** Parses the whole stdout of `fail2ban-client -d` into commands. */
export function parseDump(text: string): Command[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('['))
    .map((l) => parsePyLiteral(l) as Command);
}

/** Groups a command stream by jail: the `add` or `config-error` of each jail and the commands that follow it. */
export function commandsByJail(commands: readonly Command[]): Map<string, Command[]> {
  const out = new Map<string, Command[]>();
  let cur: Command[] | undefined;
  for (const c of commands) {
    if (c[0] === 'add') {
      cur = [c];
      out.set(String(c[1]), cur);
    } else if (c[0] === 'config-error') {
      const m = /^Jail '(.*)' skipped/s.exec(String(c[1]));
      out.set(m ? m[1]! : String(c[1]), [c]);
      cur = undefined;
    } else if (c[0] === 'start') cur = undefined;
    else if (cur && c.length > 2 && c[1] === cur[0]![1]) cur.push(c);
  }
  return out;
}
