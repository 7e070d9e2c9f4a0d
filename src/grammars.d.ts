/** A grammar in grammars/*.peggy, compiled by the build into an ES module. */
declare module '*.peggy' {
  export interface PeggyLocation {
    source: unknown;
    start: { offset: number; line: number; column: number };
    end: { offset: number; line: number; column: number };
  }
  export class SyntaxError extends Error {
    expected: unknown;
    found: string | null;
    location: PeggyLocation;
  }
  export function parse(input: string, options?: { startRule?: string; grammarSource?: unknown; [k: string]: unknown }): any;
  export const StartRules: string[];
}
