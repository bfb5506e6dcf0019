/**
 * Skip rules for the PFA suite, matched by what a trial uses rather than by its position in a file:
 * a rule names the functions it covers and tests the trial's arguments or expected result with a
 * named predicate, so trials of the same kind that are not in the shared files (held-out ones, or
 * the same trial after the file is regenerated) are covered by the same rule and reason.
 *
 *   {"function": "re.*", "when": {"of": "sample.pattern", "is": "regex-backreference"}, "reason": "..."}
 *
 * `function` is a function name, or a prefix ending in `.*` (`re.*`); without it the rule covers
 * every function. `when` (one test or a list that must all hold) is optional: a rule without it
 * skips every trial of its functions. `of` is `sample.NAME` (the argument given as input field
 * NAME) or `result` (the expected result). Predicates are a fixed set of named checks written
 * here: a skip file is data and never code.
 */
import { PfaSyntaxError } from '../errors.js';

export interface SkipTest {
  /** `sample.NAME` for an argument, `result` for the expected result. */
  readonly of: string;
  /** The name of a predicate in PREDICATES. */
  readonly is: string;
}

export interface SkipRule {
  readonly function?: string;
  readonly when?: SkipTest | readonly SkipTest[];
  readonly reason: string;
}

/** What a rule can see of a trial: the test's function and engine, and the trial itself. */
export interface TrialView {
  readonly function: string;
  readonly engine: { readonly input?: unknown; readonly output?: unknown };
  readonly trial: { readonly sample: Record<string, unknown>; readonly result?: unknown };
}

/** A predicate gets a value in the suite's JSON encoding and its declared Avro type (as JSON). */
type Predicate = (value: unknown, type: unknown) => boolean;

/** The primitive name of an Avro type written as "t" or {"type": "t"}. */
function primitive(type: unknown): string | undefined {
  if (typeof type === 'string') return type;
  if (typeof type === 'object' && type !== null && typeof (type as { type?: unknown }).type === 'string')
    return (type as { type: string }).type;
  return undefined;
}

/** The text of a string value, or of a bytes value (base64 in the suite) one character per byte. */
function patternText(value: unknown, type: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (primitive(type) === 'bytes') return Buffer.from(value, 'base64').toString('latin1');
  return value;
}

/**
 * Whether a regular expression refers back to one of its own groups (`\1`..`\9` with that many
 * capturing groups, or `\k<name>` of a named group). A reference to a group the pattern does not
 * have is not a backreference but a bad pattern, which engines reject alike.
 */
export function hasBackreference(pattern: string): boolean {
  let groups = 0;
  const names = new Set<string>();
  const numbered: number[] = [];
  const named: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n !== undefined && n >= '1' && n <= '9') numbered.push(Number(n));
      else if (n === 'k' && pattern[i + 2] === '<') {
        const end = pattern.indexOf('>', i + 3);
        if (end > 0) named.push(pattern.slice(i + 3, end));
      }
      i++;
    } else if (c === '[') {
      // A bracket expression: nothing in it is a group or a reference. A "]" right after "[" or
      // "[^" is a literal member.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '(') {
      if (pattern[i + 1] !== '?') groups++;
      else {
        const name = /^\?P?<([A-Za-z][A-Za-z0-9_]*)>/.exec(pattern.slice(i + 1, i + 40));
        if (name) {
          groups++;
          names.add(name[1]!);
        }
      }
    }
  }
  return numbered.some((n) => n <= groups) || named.some((n) => names.has(n));
}

const FLOAT_MAX = 3.4028234663852886e38;

export const PREDICATES: Readonly<Record<string, Predicate>> = {
  /** A regular expression (string, or bytes) that uses a backreference. */
  'regex-backreference': (value, type) => {
    const text = patternText(value, type);
    return text !== undefined && hasBackreference(text);
  },
  /** A finite number of type float too large in magnitude for a 32-bit float. */
  'beyond-float32': (value, type) =>
    primitive(type) === 'float' && typeof value === 'number' && Number.isFinite(value) && Math.abs(value) > FLOAT_MAX,
};

function fieldType(input: unknown, name: string): unknown {
  const fields = typeof input === 'object' && input !== null ? (input as { fields?: unknown }).fields : undefined;
  if (!Array.isArray(fields)) return undefined;
  return (
    fields.find((f) => typeof f === 'object' && f !== null && (f as { name?: unknown }).name === name) as { type?: unknown } | undefined
  )?.type;
}

function coversFunction(rule: SkipRule, fn: string): boolean {
  const f = rule.function;
  if (f === undefined) return true;
  return f.endsWith('.*') ? fn.startsWith(f.slice(0, -1)) : fn === f;
}

function holds(test: SkipTest, view: TrialView): boolean {
  const predicate = PREDICATES[test.is]!;
  if (test.of === 'result') return 'result' in view.trial && predicate(view.trial.result, view.engine.output);
  const name = test.of.slice('sample.'.length);
  return Object.hasOwn(view.trial.sample, name) && predicate(view.trial.sample[name], fieldType(view.engine.input, name));
}

/** Whether the rule covers this trial. */
export function ruleMatches(rule: SkipRule, view: TrialView): boolean {
  if (!coversFunction(rule, view.function)) return false;
  const tests = rule.when === undefined ? [] : Array.isArray(rule.when) ? (rule.when as readonly SkipTest[]) : [rule.when as SkipTest];
  return tests.every((t) => holds(t, view));
}

/** The index of the first rule covering the trial, or -1. */
export function findRule(rules: readonly SkipRule[], view: TrialView): number {
  return rules.findIndex((r) => ruleMatches(r, view));
}

/**
 * Checks the `skips` of a skip file: every rule has a reason, known predicates and `of` forms, and
 * nothing else (a rule keyed by a trial's position, as `test`/`trial` were, is refused).
 */
export function parseSkipRules(json: unknown, source: string): SkipRule[] {
  const bad = (i: number, why: string): never => {
    throw new PfaSyntaxError('skip-rules', `${source}: skip ${i}: ${why}`, { pointer: `/skips/${i}` });
  };
  const skips = typeof json === 'object' && json !== null ? (json as { skips?: unknown }).skips : undefined;
  if (!Array.isArray(skips)) throw new PfaSyntaxError('skip-rules', `${source}: expected {"skips": [...]}`, { pointer: '' });
  return skips.map((r: unknown, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return bad(i, 'not an object');
    const rule = r as Record<string, unknown>;
    for (const k of Object.keys(rule))
      if (k !== 'function' && k !== 'when' && k !== 'reason')
        bad(i, `unknown member "${k}" (rules match by function and by what the trial uses: "when")`);
    if (typeof rule.reason !== 'string' || rule.reason === '') bad(i, 'needs a "reason"');
    if (rule.function !== undefined && (typeof rule.function !== 'string' || rule.function === ''))
      bad(i, '"function" must be a function name or a prefix ending in ".*"');
    const tests = rule.when === undefined ? [] : Array.isArray(rule.when) ? rule.when : [rule.when];
    for (const t of tests as unknown[]) {
      const test = t as Record<string, unknown>;
      if (typeof t !== 'object' || t === null || typeof test.of !== 'string' || typeof test.is !== 'string')
        bad(i, '"when" needs {"of": "sample.NAME" | "result", "is": PREDICATE}');
      if (!Object.hasOwn(PREDICATES, test.is as string))
        bad(i, `unknown predicate "${test.is}" (known: ${Object.keys(PREDICATES).join(', ')})`);
      if (test.of !== 'result' && !/^sample\..+/.test(test.of as string))
        bad(i, `"of" must be "sample.NAME" or "result", not "${test.of}"`);
    }
    return rule as unknown as SkipRule;
  });
}
