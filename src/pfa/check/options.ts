/**
 * The engine options a document may set in its `options` field, checked with the document (so that
 * `validate-model` and loading give the same verdict) and used by the engine for the host's own
 * options too. Options this engine does not know are ignored, as the specification allows.
 */
import { PfaInitializationError } from '../../errors.js';

/** The numeric options: each a non-negative number (milliseconds, steps, depth or elements). */
export const NUMERIC_OPTIONS = ['timeout', 'timeout.begin', 'timeout.action', 'timeout.end', 'maxLoopSteps', 'maxCallDepth', 'maxAllocation'] as const;

export type NumericOption = (typeof NUMERIC_OPTIONS)[number];

/** `v` as the value of option `name`: undefined when absent, else a non-negative number or a `bad-option` error. */
export function numberOption(v: unknown, name: string, pointer?: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v >= 0)) throw new PfaInitializationError('bad-option', `option ${name} must be a non-negative number`, pointer !== undefined ? { pointer } : undefined);
  return v;
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Checks the document's `options`; throws the first bad value. */
export function checkDocumentOptions(options: Readonly<Record<string, unknown>>): void {
  for (const name of NUMERIC_OPTIONS) numberOption(options[name], name, `/options/${escape(name)}`);
}
