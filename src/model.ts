/**
 * One face for every model format: `loadModel` reads PFA (JSON/YAML) or PMML (XML) text and returns
 * a `Model` that scores plain JSON-like records, which is what servers, batch jobs and browsers
 * have in hand. Format-specific engines stay available through `loadPfa` and `loadPmml`.
 */
import type { AvroType } from './avro/types.js';
import type { PfaEngine } from './pfa/engine.js';
import { documentText, LOAD_OPTION_NAMES, loadPfa, type DocumentSource } from './pfa/load.js';
import { checkOptionNames, onlyOptions } from './pfa/check/options.js';
import { loadPmml, PMML_LOAD_OPTION_NAMES, type PmmlLoadOptions } from './pmml/model.js';
import { checkRecordFields, type RecordOptions } from './pmml/record-fields.js';
import { jsonCodec } from './model-json.js';

export type ModelFormat = 'pfa' | 'pmml';

export interface Model {
  readonly format: ModelFormat;
  readonly name: string;
  /** Avro types of one input record and one result. */
  readonly inputType: AvroType;
  readonly outputType: AvroType;
  /** Scores one record given in Avro's JSON encoding (plain objects, numbers, strings). */
  score(record: unknown): unknown;
  /** Scores many records; the results come back in order. */
  scoreBatch(records: readonly unknown[]): unknown[];
}

/** Options of `loadModel`: the engine's, the record check's (`allowExtraFields`) and PMML's. */
export type ModelLoadOptions = PmmlLoadOptions;

/** Every name of ModelLoadOptions, once: PMML's options are a superset of PFA's. */
export const MODEL_LOAD_OPTION_NAMES = PMML_LOAD_OPTION_NAMES satisfies Record<keyof ModelLoadOptions, true>;

/** A PFA engine behind the Model face: JSON in, JSON out. */
export class PfaModel implements Model {
  readonly format = 'pfa' as const;
  /** Field names of a record input type; undefined when the input is not a record. */
  private readonly fields: ReadonlySet<string> | undefined;
  private readonly allowExtraFields: boolean;

  constructor(
    readonly engine: PfaEngine,
    options: RecordOptions = {},
  ) {
    const t = engine.inputType;
    this.fields = t.kind === 'record' ? new Set(t.fields.map((f) => f.name)) : undefined;
    this.allowExtraFields = options.allowExtraFields === true;
  }

  /** A plain record's fields must be the input record's, unless extra fields are allowed. */
  private check(record: unknown): void {
    if (this.fields) checkRecordFields(record, this.fields, this.allowExtraFields);
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

  score(record: unknown): unknown {
    this.check(record);
    return this.engine.toJson(this.engine.action(this.engine.fromJson(record)));
  }

  scoreBatch(records: readonly unknown[]): unknown[] {
    const e = this.engine;
    for (const r of records) this.check(r);
    // score's conversions without its cost where the types allow (a record of doubles is read by a
    // reader made for its type, a double result is its own JSON): model-json.ts.
    const { read, write } = jsonCodec(e);
    const out = new Array<unknown>(records.length);
    if (!e.columnar) {
      // Record by record, as score does: an action with state has scored the records before a bad one.
      for (let i = 0; i < records.length; i++) out[i] = write(e.action(read(records[i])));
      return out;
    }
    // A columnar engine scores the batch in its kernels; its plan has no state a failure could leave half-updated.
    const inputs = new Array<unknown>(records.length);
    for (let i = 0; i < records.length; i++) inputs[i] = read(records[i]);
    const results = e.scoreBatch(inputs);
    for (let i = 0; i < results.length; i++) out[i] = write(results[i]);
    return out;
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
export function loadModel(source: ModelSource, options: ModelLoadOptions = {}): Model {
  checkOptionNames(options, MODEL_LOAD_OPTION_NAMES, 'loadModel');
  if (isParsed(source)) return loadPfaModel(source, options);
  const text = documentText(source as DocumentSource);
  return loadModelText(formatShownBy(text) ?? 'pfa', text, options);
}

/** Loads a model's text in a format already chosen (by `loadModel`, or by `loadModelFile` from the content or the file name). */
export function loadModelText(format: ModelFormat, text: string, options: ModelLoadOptions): Model {
  return format === 'pmml' ? loadPmml(text, options) : loadPfaModel(text, options);
}

function loadPfaModel(source: string | object, options: ModelLoadOptions): PfaModel {
  return new PfaModel(loadPfa(source, onlyOptions(options, LOAD_OPTION_NAMES)), { allowExtraFields: options.allowExtraFields });
}
