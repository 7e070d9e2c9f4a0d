// Python 3.11's fnmatch.translate as a JavaScript RegExp source, anchored: the reference the tests
// hold core/glob's `fnmatch` dialect to (it was fwconf's matcher before compileGlob). Not for
// matching: the regex backtracks exponentially in the number of `*` (`*a*a*a…*b`).

/** A literal character outside a class. `-` is not escaped: `\-` outside a class is a syntax error under the `u` flag. */
function reEscape(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? '\\' + c : c;
}

/** fnmatch.translate (Python 3.11) as a JavaScript RegExp source, anchored. */
export function fnmatchSource(pat: string): string {
  let res = '';
  let i = 0;
  const n = pat.length;
  while (i < n) {
    const c = pat[i++]!;
    if (c === '*') {
      if (!res.endsWith('[^]*')) res += '[^]*';
    } else if (c === '?') res += '[^]';
    else if (c === '[') {
      let j = i;
      if (j < n && pat[j] === '!') j++;
      if (j < n && pat[j] === ']') j++;
      while (j < n && pat[j] !== ']') j++;
      if (j >= n) {
        res += '\\[';
        continue;
      }
      let stuff = pat.slice(i, j);
      if (!stuff.includes('-')) stuff = stuff.replace(/\\/g, '\\\\');
      else {
        const chunks: string[] = [];
        let k = pat[i] === '!' ? i + 2 : i + 1;
        for (;;) {
          k = pat.indexOf('-', k);
          if (k < 0 || k >= j) break;
          chunks.push(pat.slice(i, k));
          i = k + 1;
          k = k + 3;
        }
        const chunk = pat.slice(i, j);
        if (chunk) chunks.push(chunk);
        else chunks[chunks.length - 1] += '-';
        for (let m = chunks.length - 1; m > 0; m--) {
          if (chunks[m - 1]!.slice(-1) > chunks[m]![0]!) {
            chunks[m - 1] = chunks[m - 1]!.slice(0, -1) + chunks[m]!.slice(1);
            chunks.splice(m, 1);
          }
        }
        stuff = chunks.map((s) => s.replace(/\\/g, '\\\\').replace(/-/g, '\\-')).join('-');
      }
      i = j + 1;
      if (!stuff) res += '(?!)';
      else if (stuff === '!') res += '[^]';
      else {
        // In a JavaScript class, `[` and `]` need escaping where Python's do not (Python escapes `&~|`).
        let body = stuff.replace(/[[\]]/g, '\\$&');
        if (body[0] === '!') body = '^' + body.slice(1);
        else if (body[0] === '^') body = '\\' + body;
        res += '[' + body + ']';
      }
    } else res += reEscape(c);
  }
  return '^(?:' + res + ')$';
}
