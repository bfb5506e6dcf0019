/**
 * A small PFA test suite of our own and the JSON layouts a suite file can come in, for the reader
 * and runner specs. Written to a temp dir at run time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SkipRule } from '../../src/conformance/skip-rules.js';

const record = (fields: [string, string][]) => ({ type: 'record', name: 'Input', fields: fields.map(([name, type]) => ({ name, type })) });

/** Four tests: 7 trials pass, 1 fails (a wrong expected value), 2 are covered by SPEC_SKIPS. */
export const SMALL_SUITE = {
  'pfa-version': '0.8.1',
  reference: 'hand-written',
  'pfa-tests': [
    {
      function: '+',
      engine: {
        input: record([
          ['x', 'int'],
          ['y', 'int'],
        ]),
        output: 'int',
        action: { '+': ['input.x', 'input.y'] },
      },
      trials: [
        { sample: { x: 1, y: 2 }, result: 3 },
        { sample: { x: 2147483647, y: 1 }, error: 18000 },
        { sample: { x: -5, y: 5 }, result: 1 },
      ],
    },
    {
      function: 's.concat',
      // Strings with the scanner's delimiters and escapes in them: brackets, quotes, backslashes.
      engine: {
        input: record([
          ['x', 'string'],
          ['y', 'string'],
        ]),
        output: 'string',
        action: { 's.concat': ['input.x', 'input.y'] },
      },
      trials: [
        { sample: { x: '{"function": ]}', y: '\\"[' }, result: '{"function": ]}\\"[' },
        { sample: { x: '\n     {"function":', y: '' }, result: '\n     {"function":' },
        { sample: { x: 'ends in a backslash \\', y: '"]' }, result: 'ends in a backslash \\"]' },
      ],
    },
    {
      function: 're.index',
      engine: {
        input: record([
          ['haystack', 'string'],
          ['pattern', 'string'],
        ]),
        output: { type: 'array', items: 'int' },
        action: { 're.index': ['input.haystack', 'input.pattern'] },
      },
      trials: [
        { sample: { haystack: 'hello', pattern: 'l+' }, result: [2, 4] },
        { sample: { haystack: 'hello', pattern: '(.)\\1' }, result: [2, 4] },
      ],
    },
    {
      function: '**',
      engine: {
        input: record([
          ['x', 'float'],
          ['y', 'float'],
        ]),
        output: 'float',
        action: { '**': ['input.x', 'input.y'] },
      },
      trials: [
        { sample: { x: 2, y: 3 }, result: 8.0 },
        { sample: { x: 100, y: 100 }, result: 1e200 },
      ],
    },
  ],
};

/**
 * Skip rules of the specs' own, of the kinds the repository's skip file uses, so the specs' counts
 * do not depend on which rules that file holds at the time.
 */
export const SPEC_SKIPS: SkipRule[] = [
  { function: 're.*', when: { of: 'sample.pattern', is: 'regex-backreference' }, reason: 'backreference' },
  { when: { of: 'result', is: 'beyond-float32' }, reason: 'float overflow' },
];

/** The layout of the shared suite files: one test per block of lines, each ending with `     },`. */
export function suiteLayout(suite: typeof SMALL_SUITE): string {
  const tests = suite['pfa-tests'].map(
    (t) =>
      `     {"function": ${JSON.stringify(t.function)},\n      "engine":\n          ${JSON.stringify(t.engine)},\n      "trials": [\n${t.trials.map((x) => `          ${JSON.stringify(x)}`).join(',\n')}\n      ]\n     }`,
  );
  return `{"pfa-version": ${JSON.stringify(suite['pfa-version'])},\n "reference": ${JSON.stringify(suite.reference)},\n "pfa-tests": [\n${tests.join(',\n')}\n ]}\n`;
}

/** One line with ", " and ": " separators, as Python's json.dump writes it by default. */
export function pythonDump(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pythonDump).join(', ')}]`;
  if (typeof v === 'object' && v !== null)
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pythonDump(x)}`)
      .join(', ')}}`;
  return JSON.stringify(v);
}

/** The same content in every layout the reader accepts, as [name, text]. */
export function layouts(suite: typeof SMALL_SUITE = SMALL_SUITE): [string, string][] {
  return [
    ['suite', suiteLayout(suite)],
    // As Python's json.dump writes it: one line, ", " and ": " separators.
    ['compact', pythonDump(suite)],
    ['minified', JSON.stringify(suite)],
    ['pretty', JSON.stringify(suite, null, 2)],
    ['json-lines', `${suite['pfa-tests'].map((t) => JSON.stringify(t)).join('\n')}\n`],
  ];
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'trajan-conf-'));
}

/** Writes text (gzipped when the name ends in .gz) and returns its path. */
export function writeSuite(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
  return path;
}
