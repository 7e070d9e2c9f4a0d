import { describe, expect, it } from 'vitest';
import { DETECT_HEAD, detector } from '../../src/core/detect.js';

describe('detector', () => {
  const seen: Array<[string, string]> = [];
  const detect = detector({
    name: (path, base) => (seen.push([path, base]), base === 'x.conf'),
    content: (head, path) => head.includes('MARK') && path !== '/skip/x.conf',
  });

  it('scores 2 for the name, 1 for the content, 3 for both, 0 for neither', () => {
    expect(detect('/etc/x.conf', 'MARK')).toBe(3);
    expect(detect('/etc/x.conf', 'none')).toBe(2);
    expect(detect('/etc/y.conf', 'MARK')).toBe(1);
    expect(detect(undefined, 'MARK')).toBe(1);
    expect(detect(undefined, 'none')).toBe(0);
  });

  it('gives the tests a path with / separators and its last part', () => {
    seen.length = 0;
    expect(detect('C:\\etc\\x.conf', '')).toBe(2);
    expect(seen).toEqual([['C:/etc/x.conf', 'x.conf']]);
    expect(detect('x.conf', '')).toBe(2);
    expect(seen[1]).toEqual(['x.conf', 'x.conf']);
  });

  it('passes the path to the content test, so a format can take content into account only for some names', () => {
    expect(detect('/skip/x.conf', 'MARK')).toBe(2);
  });

  it('reads only the head of the text', () => {
    expect(detect(undefined, ' '.repeat(DETECT_HEAD - 4) + 'MARK')).toBe(1);
    expect(detect(undefined, ' '.repeat(DETECT_HEAD - 3) + 'MARK')).toBe(0);
  });
});
