/**
 * One face for every model format: `loadModel` reads PFA (JSON/YAML) or PMML (XML) text and returns
 * a `Model` that scores plain JSON records (nullable values untagged), which is what servers,
 * batch jobs and browsers have in hand, and answers in plain JSON. A PMML model and the PFA
 * `trajan convert` writes from it take the same records. Avro's JSON encoding (union tags) is the
 * engine's: `model.engine.fromJson`, `action`, `toJson`.
 */
import { scoreLoop } from './score-loop.js';
import type { JsonOptions } from './avro/json.js';
import { fromPlainJson, toPlainJson } from './avro/plain-json.js';
import type { AvroType } from './avro/types.js';
import { isNullable } from './avro/json-schema.js';
import { setField, isRecordValue } from './avro/values.js';
import type { WireTypes } from './io/wire.js';
import { pfaFields, pfaJsonSchema, type ModelField, type ModelFields, type ModelJsonSchema } from './model-fields.js';
import type { PfaEngine } from './pfa/engine.js';
import { documentText, LOAD_OPTION_NAMES, loadPfa, type DocumentSource } from './pfa/load.js';
import { checkOptionNames, onlyOptions } from './pfa/check/options.js';
import { loadPmml, PMML_LOAD_OPTION_NAMES, type PmmlLoadOptions } from './pmml/model.js';
import { checkRecordFields, type RecordOptions } from './pmml/record-fields.js';
import { NOT_PLAIN, plainInputReader, plainResultWriter } from './avro/plain-records.js';

export type ModelFormat = 'pfa' | 'pmml';

/**
 * A loaded model. `In` and `Out` type `score` for callers that know the model's records (see
 * `trajan types`, which writes them); they are not checked at run time beyond the model's own
 * checks, so `loadModel<In, Out>` is a promise the caller makes.
 */
export interface Model<In = Record<string, unknown>, Out = unknown> extends ModelFields {
  readonly format: ModelFormat;
  readonly name: string;
  /** Avro types of the engine's input and result (for PMML, the lowered PFA document's). */
  readonly inputType: AvroType;
  readonly outputType: AvroType;
  /** The fields a plain record carries (`inputFields`), and the targets and outputs of a result. */
  readonly inputFields: readonly ModelField[];
  readonly targetFields: readonly ModelField[];
  readonly outputFields: readonly ModelField[];
  /** The record types servers and batch jobs read and write for this model (see `wireTypes`). */
  readonly wire: WireTypes;
  /** The compiled PFA engine: Avro's JSON encoding through `engine.fromJson`, `action`, `toJson`. */
  readonly engine: PfaEngine;
  /** Scores one plain JSON record; the result is plain JSON. */
  score(record: In): Out;
  /** Scores many records; the results come back in order. */
  scoreBatch(records: readonly In[]): Out[];
  /**
   * Scores a record in the wire encoding (`wire.tagged`: Avro's JSON encoding in and out, union
   * tags as the model chose them; otherwise plain JSON, as `score`). Writers of Avro files need the
   * branch the model chose; most callers want `score`.
   */
  scoreWire(record: unknown): unknown;
  /** JSON Schemas (draft 2020-12) of one plain input record and one plain result. */
  jsonSchema(): ModelJsonSchema;
}

/** Options of `loadModel`: the engine's, the record check's (`allowExtraFields`) and PMML's. */
export type ModelLoadOptions = PmmlLoadOptions;

/** Every name of ModelLoadOptions, once: PMML's options are a superset of PFA's. */
export const MODEL_LOAD_OPTION_NAMES = PMML_LOAD_OPTION_NAMES satisfies Record<keyof ModelLoadOptions, true>;

/** How a plain record's JSON is read: absent fields with defaults take them (one object, not one per record). */
const READ_WITH_DEFAULTS: JsonOptions = { useDefaults: true };

/** A PFA engine behind the Model face: plain JSON in, plain JSON out. */
export class PfaModel<In = Record<string, unknown>, Out = unknown> implements Model<In, Out> {
  readonly format = 'pfa' as const;
  readonly inputFields: readonly ModelField[];
  /** PFA does not tell a target from another output: every field of the result is an output. */
  readonly targetFields: readonly ModelField[] = [];
  readonly outputFields: readonly ModelField[];
  readonly wire: WireTypes;
  /** Field names of a record input type; undefined when the input is not a record. */
  private readonly fields: ReadonlySet<string> | undefined;
  /** Nullable input fields without a default: absent from a plain record, they read as null. */
  private readonly absentAsNull: readonly string[];
  private readonly allowExtraFields: boolean;
  private schemas: ModelJsonSchema | undefined;
  /** One-pass conversions of plain records of scalar fields (avro/plain-records.ts), when the types are such. */
  private readonly plainInput: ((record: unknown) => unknown) | undefined;
  private readonly plainOutput: ((value: unknown) => unknown) | undefined;
  /**
   * The same reader, leaving absent fields to the general path, for `scorePlainWire`: made by its
   * first call (batch runs), null when the input type has none.
   */
  private plainWireInput: ((record: unknown) => unknown) | null | undefined;

  constructor(
    readonly engine: PfaEngine,
    options: RecordOptions = {},
  ) {
    const t = engine.inputType;
    this.fields = t.kind === 'record' ? new Set(t.fields.map((f) => f.name)) : undefined;
    this.absentAsNull = t.kind === 'record' ? t.fields.filter((f) => !f.hasDefault && isNullable(f.type)).map((f) => f.name) : [];
    this.allowExtraFields = options.allowExtraFields === true;
    this.inputFields = pfaFields(t, 'input');
    this.outputFields = pfaFields(engine.outputType, 'output');
    this.wire = { input: t, output: engine.outputType, tagged: true };
    this.plainInput = plainInputReader(t, engine.generatesCode);
    this.plainOutput = plainResultWriter(engine.outputType, engine.generatesCode);
  }

  /** A plain record's fields must be the input record's, unless extra fields are allowed. */
  private check(record: unknown): void {
    if (this.fields) checkRecordFields(record, this.fields, this.allowExtraFields);
  }

  /**
   * The record with absent nullable fields set to null: plain JSON writes a missing value either
   * way, and PMML reads both as missing, so the PFA converted from a PMML document takes the same
   * records. A copy only when something is absent.
   */
  private filled(record: unknown): unknown {
    if (!this.absentAsNull.length || !isRecordValue(record)) return record;
    let out: Record<string, unknown> | undefined;
    for (const name of this.absentAsNull) {
      if (Object.hasOwn(record, name)) continue;
      out ??= { ...record };
      setField(out, name, null);
    }
    return out ?? record;
  }

  /**
   * A plain record as the engine's input value. A field with a default may be left out, as the
   * input's JSON Schema and field list say (`optional`): the default stands in for it.
   */
  private toInput(record: unknown): unknown {
    this.check(record);
    if (this.plainInput) {
      const value = this.plainInput(record);
      if (value !== NOT_PLAIN) return value;
    }
    return this.engine.fromJson(fromPlainJson(this.engine.inputType, this.filled(record)), READ_WITH_DEFAULTS);
  }

  private toOutput(value: unknown): Out {
    if (this.plainOutput) return this.plainOutput(value) as Out;
    return toPlainJson(this.engine.outputType, this.engine.toJson(value)) as Out;
  }

  get name(): string {
    return this.engine.name;
  }

  get inputType(): AvroType {
    return this.engine.inputType;
  }

  get outputType(): AvroType {
    return this.engine.outputType;
  }

  score(record: In): Out {
    return this.toOutput(this.engine.action(this.toInput(record)));
  }

  /**
   * `score` of each record, in order, through the engine's `scoreBatch` (its columnar kernels, or
   * one row loop made for the engine). A loop of `score` is the baseline
   * (spec/model-score-batch.spec.ts): the same results, and the same first error, after the same
   * records were scored. A record that cannot be read fails only once the records before it are
   * scored, since scoring one of them could fail first (or change the model's cells and pools).
   */
  scoreBatch(records: readonly In[]): Out[] {
    // An engine that scores an array of inputs one by one gains nothing from having them all read
    // first: a loop of score does the same work without holding every input and every result at
    // once (4-13 % less time on the benchmark's row-major models).
    if (!this.engine.batchesByColumns) return scoreLoop(records, (r) => this.score(r));
    const inputs: unknown[] = [];
    let unread: { readonly error: unknown } | undefined;
    for (const record of records) {
      try {
        inputs.push(this.toInput(record));
      } catch (error) {
        unread = { error };
        break;
      }
    }
    const outs = this.engine.scoreBatch(inputs);
    if (unread) throw unread.error;
    const results = new Array<Out>(outs.length);
    for (let i = 0; i < outs.length; i++) results[i] = this.toOutput(outs[i]);
    return results;
  }

  scoreWire(record: unknown): unknown {
    this.check(record);
    return this.engine.toJson(this.engine.action(this.engine.fromJson(record)));
  }

  /**
   * @internal `scoreWire` of a plain record with its union tags added (`fromPlainJson`), as batch
   * runs and the worker pool score records (io/wire.ts, wireScorer): a record the one-pass reader
   * takes is read without the tagged value in between, any other goes exactly that way.
   */
  scorePlainWire(record: unknown): unknown {
    if (this.plainWireInput === undefined) this.plainWireInput = plainInputReader(this.inputType, this.engine.generatesCode, false) ?? null;
    if (this.plainWireInput) {
      this.check(record);
      const input = this.plainWireInput(record);
      if (input !== NOT_PLAIN) return this.engine.toJson(this.engine.action(input));
    }
    return this.scoreWire(fromPlainJson(this.engine.inputType, record));
  }

  jsonSchema(): ModelJsonSchema {
    return (this.schemas ??= pfaJsonSchema(this.name, this.inputType, this.outputType, this));
  }
}

/** A model as text, as the UTF-8 bytes of a file, or as a PFA document already parsed from JSON. */
export type ModelSource = DocumentSource | object;

/** Whether a source is a parsed document rather than text or bytes. */
function isParsed(source: ModelSource): boolean {
  return typeof source !== 'string' && !(source instanceof Uint8Array);
}

/**
 * The format the text shows by its first non-blank character: XML is PMML, a JSON object is PFA.
 * Anything else (YAML, an empty or a garbled document) does not say.
 */
export function formatShownBy(text: string): ModelFormat | undefined {
  const first = text[text.search(/\S/)];
  return first === '<' ? 'pmml' : first === '{' ? 'pfa' : undefined;
}

/** Tells PFA from PMML by content: PMML is XML; everything else (JSON, YAML, a parsed document) is PFA. */
export function detectFormat(source: ModelSource): ModelFormat {
  if (isParsed(source)) return 'pfa';
  return formatShownBy(documentText(source as DocumentSource)) ?? 'pfa';
}

/** Loads a model from its text, bytes or parsed PFA document, choosing the format by content. */
export function loadModel<In = Record<string, unknown>, Out = unknown>(
  source: ModelSource,
  options: ModelLoadOptions = {},
): Model<In, Out> {
  checkOptionNames(options, MODEL_LOAD_OPTION_NAMES, 'loadModel');
  if (isParsed(source)) return loadPfaModel(source, options) as Model<In, Out>;
  const text = documentText(source as DocumentSource);
  return loadModelText<In, Out>(formatShownBy(text) ?? 'pfa', text, options);
}

/** Loads a model's text in a format already chosen (by `loadModel`, or by `loadModelFile` from the content or the file name). */
export function loadModelText<In = Record<string, unknown>, Out = unknown>(
  format: ModelFormat,
  text: string,
  options: ModelLoadOptions,
): Model<In, Out> {
  return (format === 'pmml' ? loadPmml(text, options) : loadPfaModel(text, options)) as unknown as Model<In, Out>;
}

function loadPfaModel(source: string | object, options: ModelLoadOptions): PfaModel {
  return new PfaModel(loadPfa(source, onlyOptions(options, LOAD_OPTION_NAMES)), { allowExtraFields: options.allowExtraFields });
}
