/**
 * The browser entry, `trajan/browser`: load, check, compile and score PFA documents, without
 * anything that needs Node. Bundled by `npm run build:browser` into dist/browser/trajan.js, an ES
 * module with no Node built-ins (docs/browser.md). It stays small by leaving out PMML (see
 * `trajan/browser-pmml`) and by keeping YAML, regexes, time zones, probability distributions and
 * linear algebra in separate files of the bundle that `await ready()` loads. Everything here is
 * also exported by index.ts.
 */
export { loadPfa, checkPfaSource, type LoadOptions } from './pfa/load.js';
export { PfaEngine, type EngineOptions, type Snapshot } from './pfa/engine.js';
export { TrajanError, PfaSyntaxError, PfaSemanticError, PfaInitializationError, PfaRuntimeError, type Location } from './errors.js';
export { DependencyError } from './dependency-error.js';
export { fromJson, toJson, stringifyJson, type JsonOptions } from './avro/json.js';
export { fromPlainJson, toPlainJson } from './avro/plain-json.js';
export type { AvroType } from './avro/types.js';
export { toSchemaJson } from './avro/schema.js';
export { ready } from './lazy-modules.js';
