import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { compileBackrefs, rewriteBackrefs } from '../../../../src/pfa/lib/_regex/backrefs.js';
import { backtrackSearch, MAX_STEPS, StepCounter, STEP_BLOCK } from '../../../../src/pfa/lib/_regex/backtrack.js';
import { LimitError } from '../../../../src/pfa/compile/runtime.js';
import { RE_FLAGS } from '../../../../src/pfa/lib/re.js';

const free = { charge: () => undefined, allocate: () => undefined };

/** The groups of the first match as [start, end) pairs (-1 for a group that took no part), or null. */
function viaBacktracking(pattern: string, text: string): number[][] | null {
  const { prog, groups } = compileBackrefs(rewriteBackrefs(pattern) ?? pattern, RE_FLAGS);
  const slots = backtrackSearch(prog, text, new StepCounter(free));
  return slots && groups.map((g) => [slots[2 * g]!, slots[2 * g + 1]!]);
}

function viaRe2(pattern: string, text: string): number[][] | null {
  const m = RE2JS.compile(pattern, RE_FLAGS).matcher(text);
  if (!m.find(0)) return null;
  return Array.from({ length: m.groupCount() + 1 }, (_, g) => [m.start(g), m.end(g)]);
}

// Random patterns over a small alphabet, so that they match often and ambiguously: alternation,
// greedy and lazy quantifiers, counted repetition, groups, classes, anchors and word boundaries.
const atom: fc.Arbitrary<string> = fc.constantFrom('a', 'b', 'c', 'B', '.', '[ab]', '[^a]', '[[:upper:]]', '\\w', '\\s', '😀', 'é', 'x');
const { re: pattern } = fc.letrec<{ re: string; seq: string; item: string }>((tie) => ({
  re: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('seq'),
    fc.tuple(tie('seq'), tie('seq')).map(([l, r]) => `${l}|${r}`),
  ),
  seq: fc.array(tie('item'), { minLength: 0, maxLength: 4 }).map((items) => items.join('')),
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    atom,
    fc.constantFrom('^', '$', '\\b', '\\B'),
    fc.tuple(tie('re'), fc.constantFrom('(', '(?:')).map(([r, open]) => `${open}${r})`),
    fc
      .tuple(
        fc.oneof(
          atom,
          tie('re').map((r) => `(${r})`),
        ),
        fc.constantFrom('*', '+', '?', '*?', '+?', '??', '{2}', '{1,2}', '{0,2}?'),
      )
      .map(([x, q]) => `${x}${q}`),
  ),
}));
const subject = fc
  .array(fc.constantFrom('a', 'b', 'c', 'A', 'B', ' ', '\n', '😀', 'é', 'É', '\u00ff'), { maxLength: 12 })
  .map((cs) => cs.join(''));

describe('backtracking matcher', () => {
  it('finds what re2js finds on patterns without backreferences (differential)', () => {
    fc.assert(
      fc.property(
        pattern.filter((p) => p.length > 0),
        fc.boolean(),
        subject,
        (p, fold, s) => {
          const full = fold ? `(?i)${p}` : p;
          expect(viaBacktracking(full, s)).toEqual(viaRe2(full, s));
        },
      ),
      { seed: 20261205, numRuns: 3000 },
    );
  });

  it('matches backreferences against the referenced text, leftmost-longest', () => {
    expect(viaBacktracking('(.)\\1', 'hello')).toEqual([
      [2, 4],
      [2, 3],
    ]);
    // the longest repetition whose text appears again right after it
    expect(viaBacktracking('(a+)\\1', 'xaaaaay')).toEqual([
      [1, 5],
      [1, 3],
    ]);
    expect(viaBacktracking('(\\w+) \\1', 'say bye bye')).toEqual([
      [4, 11],
      [4, 7],
    ]);
    // an astral character is two UTF-16 units, matched whole
    expect(viaBacktracking('(😀)\\1', 'a😀😀')).toEqual([
      [1, 5],
      [1, 3],
    ]);
    expect(viaBacktracking('(.)\\1', 'abc')).toBeNull();
  });

  it('fails a backreference to a group that took no part', () => {
    expect(viaBacktracking('(a)|b\\1', 'b')).toBeNull();
    expect(viaBacktracking('(?:(a)|b)\\1', 'baa')).toEqual([
      [1, 3],
      [1, 2],
    ]);
  });

  it('reads a backreference under repetition and groups renumbered around it', () => {
    expect(viaBacktracking('(a)\\1{2}', 'aaaa')).toEqual([
      [0, 3],
      [0, 1],
    ]);
    expect(viaBacktracking('(x)\\1(y)\\2', 'xxyy')).toEqual([
      [0, 4],
      [0, 1],
      [2, 3],
    ]);
  });

  it('leaves \\1 alone inside bracket expressions and \\Q...\\E quotes', () => {
    expect(rewriteBackrefs('[\\1]')).toBeNull();
    expect(rewriteBackrefs('[]\\1]')).toBeNull();
    expect(rewriteBackrefs('[[:alpha:]\\1]')).toBeNull();
    expect(rewriteBackrefs('\\Q\\1\\E')).toBeNull();
    expect(rewriteBackrefs('\\\\1')).toBeNull(); // an escaped backslash, then 1
    expect(rewriteBackrefs('[a](.)\\1')).not.toBeNull();
  });

  it('charges its steps in blocks and stops on a spent budget', () => {
    const { prog } = compileBackrefs(rewriteBackrefs('(a*)*\\1b')!, RE_FLAGS);
    const charges: number[] = [];
    const budget = 50 * STEP_BLOCK;
    const meter = {
      charge: (n: number) => {
        charges.push(n);
        if (charges.reduce((a, b) => a + b, 0) > budget) throw new LimitError('loop-limit', 'spent');
      },
      allocate: () => undefined,
    };
    expect(() => backtrackSearch(prog, 'a'.repeat(200), new StepCounter(meter))).toThrow(LimitError);
    expect(charges.every((n) => n === STEP_BLOCK)).toBe(true);
    expect(charges.length).toBe(51);
  });

  it('reserves memory in proportion to the work done', () => {
    let charged = 0;
    let reserved = 0;
    const meter = { charge: (n: number) => void (charged += n), allocate: (n: number) => void (reserved += n) };
    const { prog } = compileBackrefs(rewriteBackrefs('(a|b|ab)*\\1c')!, RE_FLAGS);
    expect(backtrackSearch(prog, 'ab'.repeat(400), new StepCounter(meter))).toBeNull();
    expect(reserved).toBeGreaterThan(0);
    // at most one memo entry and one stack job (three numbers) per step, reserved a block at a time
    expect(reserved).toBeLessThanOrEqual(4 * charged + 2 * 3 * STEP_BLOCK);
  });

  // The timeout only guards against a hang: the cap takes well under a second on an idle machine.
  it('stops at its own cap when the caller set no budget', { timeout: 30_000 }, () => {
    const { prog } = compileBackrefs(rewriteBackrefs('(.*)(.*)\\2\\1x')!, RE_FLAGS);
    let charged = 0;
    const meter = { charge: (n: number) => void (charged += n), allocate: () => undefined };
    const t0 = performance.now();
    let error: unknown;
    try {
      backtrackSearch(prog, 'ab'.repeat(300), new StepCounter(meter));
    } catch (e) {
      error = e;
    }
    const ms = performance.now() - t0;
    expect(error).toBeInstanceOf(LimitError);
    expect((error as LimitError).code).toBe('loop-limit');
    expect(charged).toBeGreaterThan(MAX_STEPS);
    expect(charged).toBeLessThanOrEqual(MAX_STEPS + STEP_BLOCK);
    console.log(`backtracking cap of ${MAX_STEPS} steps reached in ${ms.toFixed(0)} ms`);
  });
});
