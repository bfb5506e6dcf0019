/**
 * Every string code Trajan raises, as a type callers can switch over (`TrajanErrorCode`) and a list
 * (`TRAJAN_ERROR_CODES`). Runtime errors of library functions carry the specification's numbers
 * instead, and so does the `error` form when the document gives a code; those stay `number`.
 *
 * `TrajanError.code` is an `ErrorCode` (errors.ts): one of these, a number, or a CSV parser's own
 * problem as `csv-NAME`; a server's answer body may carry a code of another component. A spec
 * (spec/api/error-codes.spec.ts) reads the sources and fails when a code raised there is not listed
 * here, or when a code listed here is raised nowhere.
 */
export const TRAJAN_ERROR_CODES = [
  // Reading a document: text, JSON, YAML, XML and the document's shape (PfaSyntaxError).
  'invalid-utf8',
  'json-syntax',
  'yaml-syntax',
  'xml-syntax',
  'xml-doctype',
  'not-pmml',
  'duplicate-key',
  'too-deep',
  'too-large',
  'not-an-object',
  'unknown-field',
  'missing-field',
  'bad-field',
  'bad-schema',
  'bad-expression',
  'bad-literal',
  'bad-symbol',
  'bad-value',
  'unsupported',
  // Model files (ModelFileError).
  'file-not-found',
  'file-unreadable',
  // Checking a PFA document (PfaSemanticError).
  'no-signature',
  'unknown-function',
  'unknown-symbol',
  'unknown-cell',
  'unknown-pool',
  'type-mismatch',
  'output-mismatch',
  'return-mismatch',
  'no-common-type',
  'non-exhaustive-cast',
  'bad-upcast',
  'bad-path',
  'bad-format',
  'exception-as-value',
  'impure-update',
  'sealed-scope',
  'readonly-symbol',
  'redeclared-symbol',
  'declaration-not-allowed',
  'incompatible-record-field',
  // Lowering a PMML document.
  'pmml-invalid',
  'pmml-unsupported',
  'pmml-no-model',
  'pmml-bad-attribute',
  'pmml-missing-attribute',
  'pmml-bad-value',
  'pmml-undefined-field',
  'pmml-too-deep',
  'pmml-too-large',
  'pmml-lowering',
  // Options and initialization (PfaInitializationError); a defect reported at the boundary.
  'bad-option',
  'unknown-option',
  'begin-failed',
  'internal-error',
  // Scoring (PfaRuntimeError) and input values (InputError).
  'timeout',
  'loop-limit',
  'recursion-depth',
  'allocation-limit',
  'stack-overflow',
  'input-mismatch',
  'user-error',
  'not-fold',
  'batch-too-large',
  'batch-unsupported',
  'bad-input',
  // Batch input: files that cannot be read on, and rejected rows.
  'line-too-long',
  'csv-cell',
  'csv-width',
  'avro-header',
  'avro-schema',
  'avro-codec',
  'avro-sync',
  'avro-block-count',
  'avro-block-size',
  'avro-deflate',
  'avro-corrupt',
  'avro-truncated',
  'avro-length',
  'avro-value',
  'avro-varint',
  'missing-column',
  // The server's answers.
  'bad-request',
  'not-found',
  'method-not-allowed',
  'unsupported-media-type',
  'too-many-elements',
  'request-timeout',
  'invalid-record',
  'model-failed',
  'worker-failed',
  'memory-limit',
  'bad-tensor',
  'bad-shape',
  'bad-datatype',
  'datatype-mismatch',
  'shape-mismatch',
  'unknown-input',
  // Conformance suites and skip rules.
  'not-a-suite',
  'no-trials',
  'suite-json',
  'suite-gzip',
  'suite-too-deep',
  'manifest',
  'skip-rules',
  // Packages: an optional one not installed, a part of the browser build not loaded yet.
  'missing-dependency',
  'module-not-ready',
] as const;

export type TrajanErrorCode = (typeof TRAJAN_ERROR_CODES)[number];

const CODES: ReadonlySet<string> = new Set(TRAJAN_ERROR_CODES);

/** Whether `code` is one of Trajan's own string codes (a number, or a code a server made up, is not). */
export function isTrajanErrorCode(code: unknown): code is TrajanErrorCode {
  return typeof code === 'string' && CODES.has(code);
}
