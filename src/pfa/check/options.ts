/**
 * The engine options a document may set in its `options` field, checked with the document (so that
 * `validate-model` and loading give the same verdict) and used by the engine for the host's own
 * options too. Options a document names that this engine does not know are ignored, as the
 * specification allows; the host's options are checked by name (`checkOptionNames`).
 */
import { PfaInitializationError } from '../../errors.js';
import { nearestName } from '../../nearest-name.js';

/** The numeric options: each a non-negative number (milliseconds, steps, depth or elements). */
export const NUMERIC_OPTIONS = [
  'timeout',
  'timeout.begin',
  'timeout.action',
  'timeout.end',
  'maxLoopSteps',
  'maxCallDepth',
  'maxAllocation',
] as const;

export type NumericOption = (typeof NUMERIC_OPTIONS)[number];

/** `v` as the value of option `name`: undefined when absent, else a non-negative number or a `bad-option` error. */
export function numberOption(v: unknown, name: string, pointer?: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v >= 0))
    throw new PfaInitializationError(
      'bad-option',
      `option ${name} must be a non-negative number`,
      pointer !== undefined ? { pointer } : undefined,
    );
  return v;
}

function escapePointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Checks the document's `options`; throws the first bad value. */
export function checkDocumentOptions(options: Readonly<Record<string, unknown>>): void {
  for (const name of NUMERIC_OPTIONS) numberOption(options[name], name, `/options/${escapePointerToken(name)}`);
}

/** The names an options type accepts, as an object typed to list each of them once (see engine.ts). */
export type OptionNames = Readonly<Record<string, true>>;

/**
 * Throws `unknown-option` for the first option the caller does not take. A misspelt name
 * (`timout`) would otherwise be ignored and its default apply without a word; the message names the
 * option meant when one is close.
 */
export function checkOptionNames(options: unknown, known: OptionNames, caller: string): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new PfaInitializationError('bad-option', `${caller}: options must be an object`);
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(known, name)) continue;
    const meant = nearestName(name, Object.keys(known), Math.max(2, Math.floor(name.length / 3)));
    throw new PfaInitializationError(
      'unknown-option',
      `${caller}: unknown option ${JSON.stringify(name)}${meant !== undefined ? ` (did you mean ${JSON.stringify(meant)}?)` : ''}`,
    );
  }
}

/** The options among `options` that `names` lists: what one loader passes on to the next. */
export function onlyOptions<T extends object>(options: T, names: OptionNames): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([name]) => Object.hasOwn(names, name))) as Partial<T>;
}
