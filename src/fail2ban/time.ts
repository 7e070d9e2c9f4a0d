/** fail2ban's time values (`10m`, `1h 30m`, `2d`), as MyTime.str2seconds reads them. */

// MyTime.str2seconds: abbreviations become multiplications, then the expression is evaluated.
const SUBPART = (alts: string) => new RegExp(`(?<=[\\d\\s])(${alts})\\b`, 'gi');
const PARTS: [RegExp, string][] = [
  [SUBPART('days?|da|dd?'), '*' + 24 * 60 * 60],
  [SUBPART('weeks?|wee?|ww?'), '*' + 7 * 24 * 60 * 60],
  [SUBPART('months?|mon?'), '*' + '2629800.0'],
  [SUBPART('years?|yea?|yy?'), '*' + '31557600.0'],
  [SUBPART('seconds?|sec?|ss?'), '*1'],
  [SUBPART('minutes?|min?|mm?'), '*60'],
  [SUBPART('hours?|hou?|hh?'), '*3600'],
];

/** Seconds of a fail2ban time value (`MyTime.str2seconds`), or undefined when fail2ban would fail to evaluate it. */
export function parseTime(value: string | number): number | undefined {
  if (typeof value === 'number') return value;
  let v = value.replace(/(?<=[a-z])(\d)/gi, ' $1');
  for (const [re, rpl] of PARTS) v = v.replace(re, rpl);
  v = v.replace(/(\d)\s+(\d)/g, '$1+$2');
  return evalArithmetic(v);
}

/** Evaluates `+ - * / ( )` over decimal numbers, as Python's eval would for these expressions; undefined otherwise. */
function evalArithmetic(src: string): number | undefined {
  const toks = src.match(/\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+|\*\*|[-+*/()]|\S/g);
  if (!toks) return undefined;
  let i = 0;
  const peek = () => toks[i];
  const expr = (): number | undefined => {
    let a = term();
    while (a !== undefined && (peek() === '+' || peek() === '-')) {
      const op = toks[i++];
      const b = term();
      if (b === undefined) return undefined;
      a = op === '+' ? a + b : a - b;
    }
    return a;
  };
  const term = (): number | undefined => {
    let a = unary();
    while (a !== undefined && (peek() === '*' || peek() === '/')) {
      const op = toks[i++];
      const b = unary();
      if (b === undefined) return undefined;
      if (op === '/' && b === 0) return undefined;
      a = op === '*' ? a * b : a / b;
    }
    return a;
  };
  const unary = (): number | undefined => {
    if (peek() === '-') {
      i++;
      const a = unary();
      return a === undefined ? undefined : -a;
    }
    if (peek() === '+') {
      i++;
      return unary();
    }
    const t = toks[i++];
    if (t === undefined) return undefined;
    if (t === '(') {
      const a = expr();
      if (toks[i++] !== ')') return undefined;
      return a;
    }
    if (/^(\d|\.\d)/.test(t)) return Number(t);
    return undefined;
  };
  const r = expr();
  return i === toks.length ? r : undefined;
}
