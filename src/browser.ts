/**
 * The browser entry: the core (parse, check, compile, score, JSON conversions) without anything
 * that needs Node. Bundled by `npm run build:browser` into dist/browser/trajan.js, an ES module
 * with no Node built-ins (docs/browser.md). Everything here is also exported by index.ts.
 */
export { loadPfa, checkPfaSource, type LoadOptions } from './pfa/load.js';
export { PfaEngine, type EngineOptions, type Snapshot } from './pfa/engine.js';
export { TrajanError, PfaSyntaxError, PfaSemanticError, PfaInitializationError, PfaRuntimeError, type Location } from './errors.js';
export { fromJson, toJson, stringifyJson, type JsonOptions } from './avro/json.js';
export { fromPlainJson, toPlainJson } from './avro/plain-json.js';
export { wireTypes, modelInput, type WireTypes } from './io/wire.js';
export type { AvroType } from './avro/types.js';
export { toSchemaJson } from './avro/schema.js';
export { loadModel, detectFormat, PfaModel, type Model, type ModelFormat } from './model.js';
export { loadPmml, PmmlModel, type PmmlField } from './pmml/model.js';
export type { VerificationReport } from './pmml/verify.js';
