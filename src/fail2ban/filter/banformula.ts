/**
 * `bantime.formula` and `bantime.factor`: the Python expressions fail2ban 1.0.2's Jail.setBanTimeExtra
 * compiles (server/jail.py) and evaluates with `ban.Time`, `ban.Count`, `banFactor` and the modules the
 * jail module imported (`math`, `random`). Evaluated here for the subset the default formula and
 * jail.conf's documented examples use: int and float literals, `ban.Time`, `ban.Count`, `banFactor`,
 * `+ - * / // % **`, `<< >>`, unary `- +`, comparisons (chained), `and or not`, `x if c else y`,
 * parentheses, and the calls `math.exp/log/log2/log10/sqrt/pow/floor/ceil`, `float int abs min max
 * round`. Anything else is an error naming the construct (never a guessed value). Python's int and
 * float are told apart where it matters (`/` is float division, `//` and `%` floor, `<<` needs ints).
 */

export class FormulaError extends Error {
  constructor(
    message: string,
    /** 0-based offset in the expression. */
    readonly offset: number,
  ) {
    super(message);
  }
}

type Val = { n: number; int: boolean };
type Node =
  | { k: 'num'; v: Val }
  | { k: 'name'; name: string; at: number }
  | { k: 'un'; op: string; a: Node; at: number }
  | { k: 'bin'; op: string; a: Node; b: Node; at: number }
  | { k: 'cmp'; ops: string[]; xs: Node[] }
  | { k: 'bool'; op: 'and' | 'or'; a: Node; b: Node }
  | { k: 'if'; c: Node; a: Node; b: Node }
  | { k: 'call'; f: string; args: Node[]; at: number };

const NAMES = new Set(['ban.Time', 'ban.Count', 'banFactor']);
const FUNCS = new Set(['math.exp', 'math.log', 'math.log2', 'math.log10', 'math.sqrt', 'math.pow', 'math.floor', 'math.ceil', 'float', 'int', 'abs', 'min', 'max', 'round']);
const TOKEN = /\s*(?:(\d+\.\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+)|(\d+)|([A-Za-z_][A-Za-z_0-9]*(?:\s*\.\s*[A-Za-z_][A-Za-z_0-9]*)*)|(\*\*|\/\/|<<|>>|<=|>=|==|!=|[-+*/%()<>,]))/y;

interface Tok {
  t: 'float' | 'int' | 'name' | 'op' | 'end';
  s: string;
  at: number;
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  let i = 0;
  for (;;) {
    const ws = /\s*/y;
    ws.lastIndex = i;
    ws.exec(src);
    if (ws.lastIndex >= src.length) break;
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(src);
    if (!m) throw new FormulaError(`'${src.slice(ws.lastIndex, ws.lastIndex + 10)}' is not part of the Python expressions evaluated here`, ws.lastIndex);
    const at = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? m[4])!.length;
    if (m[1] !== undefined) out.push({ t: 'float', s: m[1], at });
    else if (m[2] !== undefined) out.push({ t: 'int', s: m[2], at });
    else if (m[3] !== undefined) out.push({ t: 'name', s: m[3].replace(/\s+/g, ''), at });
    else out.push({ t: 'op', s: m[4]!, at });
    i = TOKEN.lastIndex;
  }
  out.push({ t: 'end', s: '', at: src.length });
  return out;
}

function parse(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p]!;
  const isOp = (s: string) => (peek().t === 'op' || peek().t === 'name') && peek().s === s;
  const expect = (s: string) => {
    if (!isOp(s)) throw new FormulaError(`expected '${s}'${peek().t === 'end' ? ' at the end' : ` before '${peek().s}'`}`, peek().at);
    p++;
  };
  const ternary = (): Node => {
    const a = orExpr();
    if (isOp('if')) {
      p++;
      const c = orExpr();
      expect('else');
      return { k: 'if', c, a, b: ternary() };
    }
    return a;
  };
  const orExpr = (): Node => {
    let a = andExpr();
    while (isOp('or')) {
      p++;
      a = { k: 'bool', op: 'or', a, b: andExpr() };
    }
    return a;
  };
  const andExpr = (): Node => {
    let a = notExpr();
    while (isOp('and')) {
      p++;
      a = { k: 'bool', op: 'and', a, b: notExpr() };
    }
    return a;
  };
  const notExpr = (): Node => {
    if (isOp('not')) {
      const at = peek().at;
      p++;
      return { k: 'un', op: 'not', a: notExpr(), at };
    }
    return comparison();
  };
  const CMP = ['<', '<=', '>', '>=', '==', '!='];
  const comparison = (): Node => {
    const first = shift();
    const ops: string[] = [];
    const xs = [first];
    while (peek().t === 'op' && CMP.includes(peek().s)) {
      ops.push(toks[p++]!.s);
      xs.push(shift());
    }
    return ops.length ? { k: 'cmp', ops, xs } : first;
  };
  const binary = (ops: string[], next: () => Node) => (): Node => {
    let a = next();
    while (peek().t === 'op' && ops.includes(peek().s)) {
      const t = toks[p++]!;
      a = { k: 'bin', op: t.s, a, b: next(), at: t.at };
    }
    return a;
  };
  const unary = (): Node => {
    if (peek().t === 'op' && (peek().s === '-' || peek().s === '+')) {
      const t = toks[p++]!;
      return { k: 'un', op: t.s, a: unary(), at: t.at };
    }
    return power();
  };
  const term = binary(['*', '/', '//', '%'], unary);
  const arith = binary(['+', '-'], term);
  const shift = binary(['<<', '>>'], arith);
  const power = (): Node => {
    const a = primary();
    if (isOp('**')) {
      const at = peek().at;
      p++;
      return { k: 'bin', op: '**', a, b: unary(), at };
    }
    return a;
  };
  const primary = (): Node => {
    const t = peek();
    if (t.t === 'int') {
      p++;
      return { k: 'num', v: { n: Number(t.s), int: true } };
    }
    if (t.t === 'float') {
      p++;
      return { k: 'num', v: { n: Number(t.s), int: false } };
    }
    if (t.t === 'op' && t.s === '(') {
      p++;
      const e = ternary();
      expect(')');
      return e;
    }
    if (t.t === 'name' && !['if', 'else', 'and', 'or', 'not'].includes(t.s)) {
      p++;
      if (isOp('(')) {
        if (!FUNCS.has(t.s)) throw new FormulaError(`the function ${t.s}() is not evaluated here`, t.at);
        p++;
        const args: Node[] = [];
        if (!isOp(')')) {
          args.push(ternary());
          while (isOp(',')) {
            p++;
            args.push(ternary());
          }
        }
        expect(')');
        return { k: 'call', f: t.s, args, at: t.at };
      }
      if (!NAMES.has(t.s)) throw new FormulaError(`the name ${t.s} is not known here (only ban.Time, ban.Count and banFactor)`, t.at);
      return { k: 'name', name: t.s, at: t.at };
    }
    throw new FormulaError(t.t === 'end' ? 'the expression ends too early' : `'${t.s}' is not part of the Python expressions evaluated here`, t.at);
  };
  const e = ternary();
  if (peek().t !== 'end') throw new FormulaError(`'${peek().s}' is not part of the Python expressions evaluated here`, peek().at);
  return e;
}

const int = (n: number): Val => ({ n, int: true });
const flt = (n: number): Val => ({ n, int: false });
const truthy = (v: Val) => v.n !== 0;

function evaluate(node: Node, env: Record<string, Val>): Val {
  const ev = (x: Node) => evaluate(x, env);
  switch (node.k) {
    case 'num':
      return node.v;
    case 'name':
      return env[node.name]!;
    case 'un': {
      const a = ev(node.a);
      if (node.op === 'not') return int(truthy(a) ? 0 : 1);
      return node.op === '-' ? { n: -a.n, int: a.int } : a;
    }
    case 'bool': {
      const a = ev(node.a);
      if (node.op === 'and') return truthy(a) ? ev(node.b) : a;
      return truthy(a) ? a : ev(node.b);
    }
    case 'if':
      return truthy(ev(node.c)) ? ev(node.a) : ev(node.b);
    case 'cmp': {
      let a = ev(node.xs[0]!);
      for (let i = 0; i < node.ops.length; i++) {
        const b = ev(node.xs[i + 1]!);
        const op = node.ops[i]!;
        const ok = op === '<' ? a.n < b.n : op === '<=' ? a.n <= b.n : op === '>' ? a.n > b.n : op === '>=' ? a.n >= b.n : op === '==' ? a.n === b.n : a.n !== b.n;
        if (!ok) return int(0);
        a = b;
      }
      return int(1);
    }
    case 'bin': {
      const a = ev(node.a);
      const b = ev(node.b);
      const both = a.int && b.int;
      switch (node.op) {
        case '+':
          return { n: a.n + b.n, int: both };
        case '-':
          return { n: a.n - b.n, int: both };
        case '*':
          return { n: a.n * b.n, int: both };
        case '/':
          if (b.n === 0) throw new FormulaError('ZeroDivisionError: division by zero', node.at);
          return flt(a.n / b.n);
        case '//':
          if (b.n === 0) throw new FormulaError('ZeroDivisionError: integer division or modulo by zero', node.at);
          return { n: Math.floor(a.n / b.n), int: both };
        case '%':
          if (b.n === 0) throw new FormulaError('ZeroDivisionError: integer division or modulo by zero', node.at);
          return { n: a.n - b.n * Math.floor(a.n / b.n), int: both };
        case '**':
          if (both && b.n < 0) return flt(a.n ** b.n);
          return { n: a.n ** b.n, int: both };
        case '<<':
        case '>>':
          if (!both) throw new FormulaError(`TypeError: unsupported operand type(s) for ${node.op}: a float`, node.at);
          if (b.n < 0) throw new FormulaError('ValueError: negative shift count', node.at);
          return int(node.op === '<<' ? a.n * 2 ** b.n : Math.floor(a.n / 2 ** b.n));
      }
      throw new FormulaError(`operator ${node.op}`, node.at);
    }
    case 'call': {
      const args = node.args.map(ev);
      const need = (n: number) => {
        if (args.length !== n) throw new FormulaError(`TypeError: ${node.f}() takes ${n} argument${n > 1 ? 's' : ''} here (${args.length} given)`, node.at);
      };
      const x = args[0]!;
      switch (node.f) {
        case 'math.exp':
          need(1);
          return flt(Math.exp(x.n));
        case 'math.log':
          if (args.length === 2) return flt(Math.log(x.n) / Math.log(args[1]!.n));
          need(1);
          if (x.n <= 0) throw new FormulaError('ValueError: math domain error', node.at);
          return flt(Math.log(x.n));
        case 'math.log2':
          need(1);
          return flt(Math.log2(x.n));
        case 'math.log10':
          need(1);
          return flt(Math.log10(x.n));
        case 'math.sqrt':
          need(1);
          if (x.n < 0) throw new FormulaError('ValueError: math domain error', node.at);
          return flt(Math.sqrt(x.n));
        case 'math.pow':
          need(2);
          return flt(x.n ** args[1]!.n);
        case 'math.floor':
          need(1);
          return int(Math.floor(x.n));
        case 'math.ceil':
          need(1);
          return int(Math.ceil(x.n));
        case 'float':
          need(1);
          return flt(x.n);
        case 'int':
          need(1);
          return int(Math.trunc(x.n));
        case 'abs':
          need(1);
          return { n: Math.abs(x.n), int: x.int };
        case 'round': {
          if (args.length === 2) throw new FormulaError('round() with digits is not evaluated here', node.at);
          need(1);
          // Python rounds half to even
          const f = Math.floor(x.n);
          const d = x.n - f;
          return int(d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f);
        }
        case 'min':
        case 'max': {
          if (!args.length) throw new FormulaError(`TypeError: ${node.f} expected at least 1 argument`, node.at);
          let best = args[0]!;
          for (const v of args.slice(1)) if (node.f === 'min' ? v.n < best.n : v.n > best.n) best = v;
          return best;
        }
      }
      throw new FormulaError(`the function ${node.f}() is not evaluated here`, node.at);
    }
  }
}

/** A compiled expression: evaluate with ban.Time, ban.Count and banFactor. */
export interface Formula {
  readonly source: string;
  eval(time: number, count: number, factor: number): number;
}

/** Compiles an expression of the subset; a FormulaError names what is outside it. */
export function compileFormula(source: string): Formula {
  const tree = parse(source);
  return {
    source,
    eval(time, count, factor) {
      const v = evaluate(tree, { 'ban.Time': { n: time, int: Number.isInteger(time) }, 'ban.Count': int(count), banFactor: { n: factor, int: Number.isInteger(factor) } });
      return v.n;
    },
  };
}

/** `eval(bantime.factor)`: a number literal or an expression of the subset without ban.* names. */
export function evalFactor(source: string): number {
  const tree = parse(source);
  const name = /\b(ban\.Time|ban\.Count|banFactor)\b/.exec(source);
  if (name) throw new FormulaError(`NameError: ${name[1]} is not defined where fail2ban evaluates bantime.factor`, name.index);
  return evaluate(tree, { 'ban.Time': int(0), 'ban.Count': int(0), banFactor: int(1) }).n;
}
