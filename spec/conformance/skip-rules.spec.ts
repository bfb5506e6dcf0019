import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PfaSyntaxError } from '../../src/errors.js';
import { findRule, hasBackreference, parseSkipRules, PREDICATES, type SkipRule, type TrialView } from '../../src/conformance/skip-rules.js';
import { runSuite } from '../../src/conformance/pfa-suite.js';
import { loadSkips } from '../../src/cli/conformance.js';
import { SMALL_SUITE, SPEC_SKIPS, suiteLayout, tempDir, writeSuite } from './suite-layout.js';

const REPO_SKIPS = loadSkips(fileURLToPath(new URL('../../conformance/pfa-skips.json', import.meta.url)));

const reEngine = (type: string) => ({
  input: {
    type: 'record',
    name: 'Input',
    fields: [
      { name: 'haystack', type },
      { name: 'pattern', type },
    ],
  },
  output: 'int',
});
const view = (fn: string, sample: Record<string, unknown>, type = 'string', result?: unknown): TrialView => ({
  function: fn,
  engine: reEngine(type),
  trial: { sample, ...(result === undefined ? {} : { result }) },
});

describe('backreference detection', () => {
  it('finds references to groups the pattern has', () => {
    for (const p of ['(.)\\1', '(a)(b)\\2', '(?<x>a)\\k<x>', '(?P<x>a)\\k<x>', '((a))\\2', '[x](y)\\1'])
      expect(hasBackreference(p), p).toBe(true);
  });

  it('does not take other escapes, missing groups or bracket members for one', () => {
    for (const p of ['\\1', '(a)\\2', '(?:a)\\1', '[(]\\1', '[\\1](a)', '\\\\1', '(a)\\\\1', 'a\\d+', '(?=a)\\1', '[]\\1(]', '\\k<x>(a)'])
      expect(hasBackreference(p), p).toBe(false);
  });
});

describe('skip rules', () => {
  const backref: SkipRule = { function: 're.*', when: { of: 'sample.pattern', is: 'regex-backreference' }, reason: 'r' };

  it('match by function prefix and by the argument, for any trial of that kind', () => {
    expect(findRule([backref], view('re.index', { haystack: 'x', pattern: '(.)\\1' }))).toBe(0);
    // A held-out kind of trial: another function, another pattern, same cause.
    expect(findRule([backref], view('re.replaceall', { haystack: 'x', pattern: '(ab)+c\\1' }))).toBe(0);
    expect(findRule([backref], view('re.index', { haystack: 'x', pattern: '(.)1' }))).toBe(-1);
    expect(findRule([backref], view('s.index', { haystack: 'x', pattern: '(.)\\1' }))).toBe(-1);
    // The prefix is a module, not any name starting with those letters.
    expect(findRule([backref], view('rex', { haystack: 'x', pattern: '(.)\\1' }))).toBe(-1);
  });

  it('decode a bytes argument from the suite base64', () => {
    const b64 = Buffer.from('(.)\\1', 'latin1').toString('base64');
    expect(findRule([backref], view('re.index', { haystack: '', pattern: b64 }, 'bytes'))).toBe(0);
    expect(findRule([backref], view('re.index', { haystack: '', pattern: b64 }, 'string'))).toBe(-1);
  });

  it('test the expected result against the output type', () => {
    const overflow: SkipRule = { when: { of: 'result', is: 'beyond-float32' }, reason: 'r' };
    const float = (result: unknown, output: unknown = 'float'): TrialView => ({
      function: 'u-',
      engine: { output },
      trial: { sample: {}, result },
    });
    expect(findRule([overflow], float(1e85))).toBe(0);
    expect(findRule([overflow], float(-4e38))).toBe(0);
    expect(findRule([overflow], float(3e38))).toBe(-1);
    expect(findRule([overflow], float('inf'))).toBe(-1);
    expect(findRule([overflow], float(1e85, 'double'))).toBe(-1);
    expect(findRule([overflow], float(1e85, { type: 'float' }))).toBe(0);
    expect(findRule([overflow], { function: 'u-', engine: { output: 'float' }, trial: { sample: {} } })).toBe(-1);
  });

  it('all hold when a rule lists several tests, and a rule without tests covers its functions', () => {
    const both: SkipRule = {
      function: 're.index',
      when: [
        { of: 'sample.pattern', is: 'regex-backreference' },
        { of: 'sample.haystack', is: 'regex-backreference' },
      ],
      reason: 'r',
    };
    expect(findRule([both], view('re.index', { haystack: 'x', pattern: '(.)\\1' }))).toBe(-1);
    expect(findRule([both], view('re.index', { haystack: '(a)\\1', pattern: '(.)\\1' }))).toBe(0);
    expect(findRule([{ function: 're.index', reason: 'r' }], view('re.index', { haystack: '', pattern: '' }))).toBe(0);
  });

  it('are checked when loaded: a position-keyed skip or an unknown predicate is refused', () => {
    const bad: unknown[] = [
      { skips: [{ function: '**', file: 'pfa-tests-core.json.gz', test: 24, trial: 32, reason: 'r' }] },
      { skips: [{ function: 're.*', when: { of: 'sample.pattern', is: 'eval' }, reason: 'r' }] },
      { skips: [{ function: 're.*', when: { of: 'pattern', is: 'regex-backreference' }, reason: 'r' }] },
      { skips: [{ function: 're.*' }] },
      { skips: {} },
      [],
    ];
    for (const json of bad) {
      expect(() => parseSkipRules(json, 'skips.json'), JSON.stringify(json)).toThrow(PfaSyntaxError);
    }
    expect(parseSkipRules({ skips: [backref] }, 'skips.json')).toEqual([backref]);
  });

  it("the repository's rules are all of that kind and name known predicates", () => {
    expect(REPO_SKIPS.length).toBeGreaterThan(0);
    for (const r of REPO_SKIPS) {
      const tests = r.when === undefined ? [] : Array.isArray(r.when) ? r.when : [r.when];
      expect(tests.length).toBeGreaterThan(0);
      for (const t of tests as { is: string }[]) expect(Object.keys(PREDICATES)).toContain(t.is);
    }
  });

  it('runSuite counts the trials each rule skipped, by function', () => {
    const path = writeSuite(tempDir(), 'small.json', suiteLayout(SMALL_SUITE));
    const report = runSuite([path], { skips: SPEC_SKIPS, keepFailures: 0 });
    const skipped = report.bySkip.flatMap((m) => Object.entries(m));
    expect(skipped.sort()).toEqual([
      ['**', 1],
      ['re.index', 1],
    ]);
    expect(report.bySkip.reduce((n, m) => n + Object.values(m).reduce((a, b) => a + b, 0), 0)).toBe(report.skipped);
  });
});
