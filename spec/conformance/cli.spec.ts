import { describe, expect, it } from 'vitest';
import { runConformance } from '../../src/cli/conformance.js';
import { layouts, SPEC_SKIPS, tempDir, writeSuite } from './suite-layout.js';

function run(args: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runConformance(
    args,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out, err };
}

describe('trajan conformance pfa', () => {
  const dir = tempDir();

  it('prints the same last line and --json object for every layout', () => {
    const skips = writeSuite(dir, 'spec-skips.json', JSON.stringify({ skips: SPEC_SKIPS }));
    const results = layouts().map(([name, text]) => {
      const path = writeSuite(dir, `${name}.json`, text);
      return { text: run(['pfa', path, '--skips', skips]), json: run(['pfa', path, '--json', '--skips', skips]) };
    });
    for (const r of results) {
      // The small suite has one wrong expected value: exit 1, like any failing run.
      expect(r.text.code).toBe(1);
      expect(r.text.out.at(-1)).toBe('7 passed, 1 failed, 2 skipped');
      expect(r.json.code).toBe(1);
      expect(r.json.out).toHaveLength(1);
      const obj = JSON.parse(r.json.out[0]!) as Record<string, unknown>;
      expect(Object.keys(obj)).toEqual(['passed', 'failed', 'skipped', 'byFunction']);
      expect(obj).toEqual(JSON.parse(results[0]!.json.out[0]!));
    }
  });

  it('exits 2, naming the file, for an empty pfa-tests array or a file that is not a suite', () => {
    for (const [name, text] of [
      ['empty.json', '{"pfa-version": "0.8.1", "pfa-tests": []}'],
      ['empty.json.gz', '{"pfa-tests": []}'],
      ['manifest.json', '{"name": "PMML conformance corpus", "cases": []}'],
      ['notes.txt', 'not JSON at all'],
    ] as const) {
      const path = writeSuite(dir, name, text);
      for (const extra of [[], ['--json']]) {
        const r = run(['pfa', path, ...extra]);
        expect(r.code, name).toBe(2);
        expect(r.out, name).toEqual([]);
        expect(r.err.join('\n'), name).toContain(path);
      }
    }
  });

  it('exits 2 for a skip file with a rule keyed by position', () => {
    const skips = writeSuite(dir, 'skips.json', JSON.stringify({ skips: [{ function: '+', test: 0, trial: 1, reason: 'r' }] }));
    const suite = writeSuite(dir, 'ok.json', layouts()[0]![1]);
    const r = run(['pfa', suite, '--skips', skips]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain(skips);
  });
});
