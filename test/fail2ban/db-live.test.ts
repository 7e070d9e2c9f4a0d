// Reading the ban database while fail2ban's own database class writes to it (as fail2ban-server does:
// journal in memory, pages changed in place): every read is either consistent — the bans of one moment,
// never fewer than an earlier read saw, every row whole — or reported as a file that kept changing.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBanDatabase } from '../../src/fail2ban/db/file.js';
import { pollFor, run } from '../spawn.js';

const dir = mkdtempSync(join(tmpdir(), 'fwconf-dblive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readBanDatabase on a database being written', () => {
  it('reads consistent states or says the file kept changing', { timeout: 120_000 }, async () => {
    const path = join(dir, 'live.sqlite3');
    const writer = run(['/usr/bin/python3', join(__dirname, 'db-writer.py'), path, '4', '0.004']);
    let finished = false;
    void writer.then(() => (finished = true));
    await pollFor('the writer to create the database', async () => (statSync(path, { throwIfNoEntry: false })?.size ?? 0) >= 4096 || finished ? true : undefined);
    let reads = 0;
    let changing = 0;
    let last = 0;
    while (!finished) {
      const db = await readBanDatabase(path, { tries: 3 });
      const codes = db.diagnostics.map((d) => d.code);
      if (codes.includes('fail2ban/db-changing')) {
        changing++;
        continue;
      }
      // A half-written page would show as an unreadable b-tree, a cut record, or data that is not JSON.
      expect(db.diagnostics).toEqual([]);
      reads++;
      expect(db.bans.length).toBeGreaterThanOrEqual(last);
      last = db.bans.length;
      for (const b of db.bans) expect(b.matches).toEqual(Array(4).fill(`line ${b.timeOfBan - 1456740000} ${'x'.repeat(1500)}`));
      expect(db.bips.length).toBe(db.bans.length);
    }
    const w = await writer;
    expect(w.status, w.stderr).toBe(0);
    const written = Number(w.stdout.trim());
    const final = await readBanDatabase(path);
    expect(final.diagnostics).toEqual([]);
    expect(final.bans).toHaveLength(written);
    console.log(`db-live: ${written} bans written, ${reads} consistent reads, ${changing} reads gave up as changing`);
    // Reads overlapped the writes (how many were consistent depends on the machine's load).
    expect(reads + changing).toBeGreaterThan(0);
  });
});
