import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PfaSyntaxError } from '../../src/errors.js';
import { readSuite, runSuite } from '../../src/conformance/pfa-suite.js';
import { MAX_TEST_DEPTH, readSuiteBytes } from '../../src/conformance/suite-reader.js';
import { loadSkips } from '../../src/cli/conformance.js';
import { layouts, pythonDump, SMALL_SUITE, SPEC_SKIPS, suiteLayout, tempDir, writeSuite } from './suite-layout.js';

const REPO_SKIPS = loadSkips(fileURLToPath(new URL('../../conformance/pfa-skips.json', import.meta.url)));
const SHARED_RE = fileURLToPath(new URL('../../../shared/conformance/pfa/pfa-tests-re.json.gz', import.meta.url));

function errorOf(f: () => unknown): PfaSyntaxError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PfaSyntaxError);
    return e as PfaSyntaxError;
  }
  throw new Error('expected an error');
}

describe('PFA test file reader', () => {
  const dir = tempDir();

  it('reads the same tests from every layout, plain or gzipped', () => {
    const want = SMALL_SUITE['pfa-tests'];
    for (const [name, text] of layouts()) {
      for (const file of [`${name}.json`, `${name}.json.gz`]) {
        expect([...readSuite(writeSuite(dir, file, text))], file).toEqual(want);
      }
    }
  });

  it('gives identical counts for every layout', () => {
    const reports = layouts().map(([name, text]) =>
      runSuite([writeSuite(dir, `${name}.json.gz`, text)], { skips: SPEC_SKIPS, keepFailures: 0 }),
    );
    for (const r of reports) {
      expect({ passed: r.passed, failed: r.failed, skipped: r.skipped, byFunction: r.byFunction }).toEqual({
        passed: reports[0]!.passed,
        failed: reports[0]!.failed,
        skipped: reports[0]!.skipped,
        byFunction: reports[0]!.byFunction,
      });
    }
    // The suite was written so: one wrong expected value, one backreference, one float overflow.
    expect(reports[0]).toMatchObject({ passed: 7, failed: 1, skipped: 2 });
    expect(reports[0]!.byFunction['+']).toEqual({ passed: 2, failed: 1, skipped: 0 });
    expect(reports[0]!.byFunction['re.index']).toEqual({ passed: 1, failed: 0, skipped: 1 });
    expect(reports[0]!.byFunction['**']).toEqual({ passed: 1, failed: 0, skipped: 1 });
  });

  it('tells gzip by its content, not its name', () => {
    const plain = writeSuite(dir, 'plain-named.gz.json', suiteLayout(SMALL_SUITE));
    const misnamed = writeSuite(dir, 'really-plain.json', '');
    const gz = writeSuite(dir, 'x.json.gz', suiteLayout(SMALL_SUITE));
    expect(readSuiteBytes(plain).toString()).toBe(suiteLayout(SMALL_SUITE));
    expect(readSuiteBytes(gz).toString()).toBe(suiteLayout(SMALL_SUITE));
    expect(readSuiteBytes(misnamed).length).toBe(0);
  });

  it('decodes escaped member names and skips other members of the suite object', () => {
    const text = `{"pfa\\u002dversion": "0.8.1", "extra": {"pfa-tests": [1, 2]}, "pfa\\u002dtests": ${JSON.stringify(SMALL_SUITE['pfa-tests'])}, "after": [[[]]]}`;
    expect([...readSuite(writeSuite(dir, 'escaped.json', text))].map((t) => t.function)).toEqual(['+', 's.concat', 're.index', '**']);
  });

  it('reads long integers exactly', () => {
    const text = pythonDump({ 'pfa-tests': [{ function: 'x', engine: {}, trials: [{ sample: { x: 1 }, result: 0 }] }] }).replace(
      '"result": 0',
      '"result": 9223372036854775807',
    );
    const [test] = [...readSuite(writeSuite(dir, 'long.json', text))];
    expect(test!.trials[0]!.result).toBe(9223372036854775807n);
  });

  it('is an error, naming the file, for what is not a PFA test file', () => {
    const cases: [string, string, string][] = [
      ['empty-array.json', '{"pfa-version": "0.8.1", "pfa-tests": []}', 'no-trials'],
      ['no-trials.json', pythonDump({ 'pfa-tests': [{ function: '+', engine: {}, trials: [] }] }), 'no-trials'],
      ['other.json', '{"name": "not a suite", "cases": [1, 2, 3]}', 'not-a-suite'],
      ['array.json', '[{"function": "+"}]', 'not-a-suite'],
      ['nothing.json', ' \n', 'not-a-suite'],
      ['number.json', '42', 'not-a-suite'],
      ['bad-test.json', '{"pfa-tests": [{"function": "+", "engine": {}, "trials": 3}]}', 'not-a-suite'],
      ['scalar-test.json', '{"pfa-tests": [1]}', 'not-a-suite'],
      ['truncated.json', suiteLayout(SMALL_SUITE).slice(0, 400), 'suite-json'],
      ['trailing.json', `${pythonDump(SMALL_SUITE)} ]`, 'not-a-suite'],
      ['bad-json.json', '{"pfa-tests": [{"function": "+", "engine": {}, "trials": [{"sample": {}, "result": tru}]}]}', 'suite-json'],
      ['bad-member.json', `{"pfa-version": tru, "pfa-tests": ${JSON.stringify(SMALL_SUITE['pfa-tests'])}}`, 'suite-json'],
      ['two-arrays.json', '{"pfa-tests": [], "pfa-tests": []}', 'suite-json'],
      ['unterminated.json', '{"pfa-tests": [{"function": "+', 'suite-json'],
    ];
    for (const [name, text, code] of cases) {
      const path = writeSuite(dir, name, text);
      const e = errorOf(() => [...readSuite(path)]);
      expect(e.code, name).toBe(code);
      expect(e.message, name).toContain(path);
      expect(e.location?.line, name).toBeGreaterThanOrEqual(1);
    }
  });

  it('is an error for a gzip file that does not decompress', () => {
    // A gzip header with nothing after it.
    const path = join(dir, 'cut.json.gz');
    writeFileSync(path, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00]));
    expect(errorOf(() => [...readSuite(path)]).code).toBe('suite-gzip');
  });

  it('refuses nesting deeper than its limit before parsing, without recursion', () => {
    const deep = `${'['.repeat(MAX_TEST_DEPTH + 5)}${']'.repeat(MAX_TEST_DEPTH + 5)}`;
    const path = writeSuite(dir, 'deep.json', `{"pfa-tests": [{"function": "+", "engine": ${deep}, "trials": []}]}`);
    expect(errorOf(() => [...readSuite(path)]).code).toBe('suite-too-deep');
    // Far deeper than any call stack: still a clean error.
    const deeper = writeSuite(dir, 'deeper.json', `{"pfa-tests": [${'{"a":'.repeat(200_000)}`);
    expect(errorOf(() => [...readSuite(deeper)]).code).toBe('suite-too-deep');
  });

  it('runSuite throws the reader error for a file with no trial', () => {
    const path = writeSuite(dir, 'none.json.gz', '{"pfa-tests": []}');
    expect(errorOf(() => runSuite([path])).code).toBe('no-trials');
  });

  const shared = existsSync(SHARED_RE);
  if (!shared) console.warn(`PFA conformance suite not found at ${SHARED_RE}: skipping the layouts of its slice`);
  it.skipIf(!shared)('gives identical counts for a slice of the shared suite in three layouts', () => {
    // The slice is taken at run time from the suite's own layout; counts are compared, not fixed.
    const original = [...readSuite(SHARED_RE)].slice(0, 6);
    const suite = { 'pfa-version': '0.8.1', reference: 'slice', 'pfa-tests': original } as unknown as typeof SMALL_SUITE;
    const texts: [string, string][] = [
      ['slice-suite.json', suiteLayout(suite)],
      ['slice-compact.json', pythonDump(suite)],
      ['slice-pretty.json', JSON.stringify(suite, null, 2)],
    ];
    const counts = texts.map(([name, text]) => {
      const r = runSuite([writeSuite(dir, name, text)], { skips: REPO_SKIPS, keepFailures: 0 });
      return { passed: r.passed, failed: r.failed, skipped: r.skipped, byFunction: r.byFunction };
    });
    expect(counts[0]!.passed + counts[0]!.failed + counts[0]!.skipped).toBe(original.reduce((n, t) => n + t.trials.length, 0));
    expect(counts[1]).toEqual(counts[0]);
    expect(counts[2]).toEqual(counts[0]);
  });
});
