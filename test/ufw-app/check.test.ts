// ufw-app: profile files the conformance properties once failed on, kept as regression cases.
import { describe, expect, it } from 'vitest';
import { parseApp } from '../../src/ufw-app/parse.js';

describe('ufw-app regression cases (conformance seeds 535239696, 885955594)', () => {
  it.each(['[OpenSSH]\n]="\r\u0000', '[OpenSSH]\n}=[\r}'])('a value with a lone \\r prints back: %j', (text) => {
    const doc = parseApp(text);
    expect(doc.toString()).toBe(text);
    expect(doc.profiles().length).toBe(1);
  });
});
