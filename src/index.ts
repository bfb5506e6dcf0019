/**
 * Trajan's public API. Everything else is internal and may change.
 */
export { loadPfa, checkPfaSource, type LoadOptions, type DocumentSource } from './pfa/load.js';
export { check, type CheckOptions, type CheckResult } from './check.js';
export { DEFAULT_MAX_PROBLEMS, type Problem, type Severity } from './problems.js';
export { DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from './pfa/source.js';
export { PfaEngine, type EngineOptions, type Snapshot } from './pfa/engine.js';
export { compilePfa, Program, type CompileOptions, type InstanceOptions } from './pfa/program.js';
export { ColumnBatch } from './pfa/columnar/batch.js';
export {
  TrajanError,
  PfaSyntaxError,
  PfaSemanticError,
  PfaInitializationError,
  PfaRuntimeError,
  InputError,
  ModelFileError,
  type Location,
  type ErrorCode,
} from './errors.js';
export { DependencyError } from './dependency-error.js';
export { ready } from './lazy-modules.js';
export { TRAJAN_ERROR_CODES, isTrajanErrorCode, type TrajanErrorCode } from './error-codes.js';
export { fromJson, toJson, stringifyJson, JsonValueError, type JsonOptions } from './avro/json.js';
export type { AvroType } from './avro/types.js';
export { toSchemaJson } from './avro/schema.js';
export { loadModel, detectFormat, PfaModel, type Model, type ModelFormat, type ModelLoadOptions, type ModelSource } from './model.js';
export {
  NON_RECORD_FIELD,
  type ModelField,
  type ModelFields,
  type ModelJsonSchema,
  type FieldInterval,
  type OpType,
  type JsonSchema,
} from './model-fields.js';
export { modelDeclarations } from './model-types.js';
export { loadModelFile } from './model-file.js';
export { loadPmml, PmmlModel, type PmmlField, type PmmlLoadOptions } from './pmml/model.js';
export type { VerificationReport } from './pmml/verify.js';
export { fromPlainJson, toPlainJson } from './avro/plain-json.js';
export { plainJsonSchema } from './avro/json-schema.js';
export { wireTypes, modelInput, type WireTypes } from './io/wire.js';
export { createHandler, type ScoringHandler, type HandlerOptions, type HandlerRequest, type HandlerResponse } from './embed/handler.js';
export { createWorkerScorer, WorkerScorer, type WorkerScorerOptions, type WorkerLoadOptions } from './embed/worker-pool.js';
