/**
 * `loadPmml`: PMML text -> parse (with line numbers) -> lower to a PFA document -> the PFA checker
 * and compiler. The resulting model scores records keyed by PMML field names and answers with an
 * object keyed by result field names (the target and the final output fields).
 */
import type { AvroType } from '../avro/types.js';
import { PfaSemanticError, TrajanError } from '../errors.js';
import type { PfaEngine } from '../pfa/engine.js';
import { checkOptionNames } from '../pfa/check/options.js';
import { documentText, LOAD_OPTION_NAMES, loadPfa, type DocumentSource, type LoadOptions } from '../pfa/load.js';
import type { WireTypes } from '../io/wire.js';
import type { Model } from '../model.js';
import { scoreLoop } from '../score-loop.js';
import type { ModelField, ModelJsonSchema, OpType } from '../model-fields.js';
import { pmmlFields, pmmlJsonSchema, type PmmlFields } from './model-fields.js';
import { inputRecordBuilder, resultRecordBuilder, type InputField, type RecordBuilder, type ResultName } from './field-records.js';
import { documentOfText, lowerDocument, type LoweredDocument, type LoweringOptions } from './lower/document.js';
import { MODEL_ELEMENTS } from './lower/family.js';
import { originAt } from './lower/builder.js';
import { asTrajanError } from '../pfa/error-boundary.js';
import { ownedDocument, withoutLocators } from '../pfa/source.js';
import { checkRecordFields, type RecordOptions } from './record-fields.js';
import { parseXml, type XmlElement } from './xml.js';
import { verificationOf, verifyModel, type VerificationReport } from './verify.js';

const LOWERED_DOCUMENT_LIMITS = { maxDepth: Infinity, maxNodes: Infinity };

/** A field of a PMML model: its data type and operational type are always known. */
export type PmmlField = ModelField & { readonly dataType: string; readonly opType: OpType };

/**
 * A lowered PMML model as plain data: what a PmmlModel is built from once the XML is read and
 * lowered. It crosses threads (structured clone), so that a worker thread builds the model without
 * reading the XML and lowering it again (io/portable-model.ts).
 */
export interface PmmlParts {
  /** The lowered PFA document as JSON text, its named types not yet defined (LoweredDocument's `text`, read by documentOfText). */
  readonly pfaText: string;
  readonly inputs: readonly InputField[];
  readonly results: readonly ResultName[];
  /** Names a scored record may hold: the DataDictionary's and the results'. */
  readonly knownFields: readonly string[];
  /** Field metadata read from the XML (display names, intervals, Output) and the wire types. */
  readonly fields: PmmlFields;
}

/** The parts of a lowered document; `root` is the PMML element it was lowered from. */
export function pmmlParts(lowered: LoweredDocument, root: XmlElement): PmmlParts {
  return {
    pfaText: lowered.text,
    // The fields the records are built from, without the XML elements a DataField holds.
    inputs: lowered.inputs.map(({ name, inputName, type, multiple }) =>
      multiple === undefined ? { name, inputName, type } : { name, inputName, type, multiple },
    ),
    results: lowered.results.map(({ name, outputName }) => ({ name, outputName })),
    knownFields: [...lowered.dictionary, ...lowered.results.map((r) => r.name)],
    fields: pmmlFields(root, lowered),
  };
}

/**
 * What each model was built from: the one place a model keeps its lowered document's text (JSON
 * text takes a third less than the document's objects, which held an ensemble's trees a second
 * time beside the engine's cells: docs/performance.md, "Memory a loaded PMML model holds"), its
 * record fields and their metadata. Not a member, so that it is no part of the model's API.
 */
const PARTS = new WeakMap<PmmlModel, PmmlParts>();

/** The plain parts `model` was built from (a worker thread builds its copy from them: pmmlFromParts). */
export function partsOf(model: PmmlModel): PmmlParts {
  return PARTS.get(model)!;
}

/**
 * A model built from the parts another thread lowered with `options`: no XML read, no lowering. It
 * has no ModelVerification to verify with.
 */
export function pmmlFromParts(parts: PmmlParts, options: PmmlLoadOptions): PmmlModel {
  return new PmmlModel(parts, undefined, modelOptions(options));
}

/** The options a lowered model is built with: the engine's and the record check's, not the lowering's. */
function modelOptions(options: PmmlLoadOptions): LoadOptions & RecordOptions {
  const { maxTreeDepth: _depth, maxSegments: _segments, ...rest } = options;
  return rest;
}

export class PmmlModel implements Model<Record<string, unknown>, Record<string, unknown>> {
  readonly format = 'pmml' as const;
  readonly name: string;
  readonly inputFields: readonly PmmlField[];
  readonly targetFields: readonly PmmlField[];
  readonly outputFields: readonly PmmlField[];
  readonly wire: WireTypes;
  readonly engine: PfaEngine;
  /** The caller's record as the document's input record, and its output record as the result (field-records.ts). */
  private readonly inputRecord: RecordBuilder;
  private readonly resultRecord: RecordBuilder;

  /** Names a scored record may hold: the DataDictionary's and the results'. */
  private readonly knownFields: ReadonlySet<string>;
  private readonly allowExtraFields: boolean;
  private schemas: ModelJsonSchema | undefined;

  constructor(
    parts: PmmlParts,
    /** The document's ModelVerification, kept rather than the whole text, for verify(). */
    private readonly verification: XmlElement | undefined,
    options: LoadOptions & RecordOptions,
    /** The lowered document as objects, when the caller has them (the lowering's own); else read from the text. */
    pfa: Record<string, unknown> = documentOfText(parts.pfaText),
  ) {
    const { allowExtraFields, ...engineOptions } = options;
    this.allowExtraFields = allowExtraFields === true;
    this.knownFields = new Set(parts.knownFields);
    this.name = String(pfa.name);
    // The lowered document is ours, and the PMML text it came from was measured against the
    // caller's document limits: its size follows from that, and its nesting is bounded by the
    // lowering limits (maxTreeDepth, maxSegments) and the PFA parser's expression depth.
    this.engine = loadPfa(ownedDocument(withoutLocators(pfa)), { ...engineOptions, documentLimits: LOWERED_DOCUMENT_LIMITS });
    this.inputRecord = inputRecordBuilder(parts.inputs);
    this.resultRecord = resultRecordBuilder(parts.results);
    this.inputFields = parts.fields.inputFields as readonly PmmlField[];
    this.targetFields = parts.fields.targetFields as readonly PmmlField[];
    this.outputFields = parts.fields.outputFields as readonly PmmlField[];
    this.wire = parts.fields.wire;
    PARTS.set(this, parts);
  }

  /** The lowered PFA document (what `trajan convert` writes): a new copy at each read. */
  get pfa(): Record<string, unknown> {
    return documentOfText(partsOf(this).pfaText);
  }

  /** PMML field names -> the names of the PFA input and output record fields (Avro names). */
  get fieldNames(): { readonly inputs: ReadonlyMap<string, string>; readonly results: ReadonlyMap<string, string> } {
    return {
      inputs: new Map(partsOf(this).inputs.map((f) => [f.name, f.inputName])),
      results: new Map(partsOf(this).results.map((r) => [r.name, r.outputName])),
    };
  }

  get inputType(): AvroType {
    return this.engine.inputType;
  }

  get outputType(): AvroType {
    return this.engine.outputType;
  }

  /**
   * Scores one record keyed by PMML field names; absent, null or undefined values are missing. A
   * field the document does not name is an `unknown-field` error unless the model was loaded with
   * `allowExtraFields` (the target and output fields, and any DataField, are known names).
   */
  score(record: unknown): Record<string, unknown> {
    checkRecordFields(record, this.knownFields, this.allowExtraFields);
    return this.scoreKnown(record);
  }

  private scoreKnown(record: unknown): Record<string, unknown> {
    const out = this.engine.action(this.pfaInput(record)) as Record<string, unknown>;
    return this.resultOf(out);
  }

  /** The result keyed by PMML field names (own properties: a result field may be named __proto__). */
  private resultOf(out: Record<string, unknown>): Record<string, unknown> {
    return this.resultRecord(out);
  }

  /** A record keyed by PMML field names as the input of the lowered PFA document (`pfa`). */
  pfaInput(record: unknown): Record<string, unknown> {
    return this.inputRecord(record);
  }

  /**
   * `score` of each record, in order. The lowered document's input is a record, which the columnar
   * kernels never take, so the engine would score the records one by one anyway: a loop of `score`
   * (the baseline the batch is held to, spec/model-score-batch.spec.ts) is that without every
   * record read and every result kept before the first is converted.
   */
  scoreBatch(records: readonly unknown[]): Record<string, unknown>[] {
    return scoreLoop(records, (r) => this.score(r));
  }

  /** PMML's wire encoding is plain JSON: the same as `score`. */
  scoreWire(record: unknown): Record<string, unknown> {
    return this.score(record);
  }

  jsonSchema(): ModelJsonSchema {
    return (this.schemas ??= pmmlJsonSchema(this.name, partsOf(this).fields));
  }

  /** Runs the document's ModelVerification records through the model. */
  verify(): VerificationReport {
    // Verification records also list expected values of intermediate fields.
    return verifyModel({ score: (r) => this.scoreKnown(r) }, this.verification);
  }
}

/** Options of `loadPmml`: the PFA engine's, how scored records are checked, and lowering limits. */
export interface PmmlLoadOptions extends LoadOptions, RecordOptions, LoweringOptions {}

/** Every name of PmmlLoadOptions, once (RecordOptions and LoweringOptions have no list of their own). */
export const PMML_LOAD_OPTION_NAMES = {
  ...LOAD_OPTION_NAMES,
  allowExtraFields: true,
  maxTreeDepth: true,
  maxSegments: true,
} as const satisfies Record<keyof PmmlLoadOptions, true>;

/**
 * Loads a PMML document, given as text or as its UTF-8 bytes. Throws TrajanErrors located in the XML
 * (line:column and path).
 */
export function loadPmml(source: DocumentSource, options: PmmlLoadOptions = {}): PmmlModel {
  checkOptionNames(options, PMML_LOAD_OPTION_NAMES, 'loadPmml');
  const root = parseXml(documentText(source), options.documentLimits);
  let lowered: LoweredDocument;
  try {
    lowered = lowerDocument(root, root.children.find((c) => c.attrs.modelName)?.attrs.modelName ?? 'PMML', options);
  } catch (e) {
    // The lowering's boundary: anything not a TrajanError is a defect, reported with a code at the model.
    throw asTrajanError(e, 'check', (root.children.find((c) => MODEL_ELEMENTS.has(c.name)) ?? root).location);
  }
  try {
    return new PmmlModel(pmmlParts(lowered, root), verificationOf(root), modelOptions(options), lowered.pfa);
  } catch (e) {
    throw loweredDocumentError(e, lowered);
  }
}

/**
 * What the PFA engine refused in a lowered document, said in terms of the PMML: a check failure is
 * located at the element the refused part was lowered from (the nearest one recorded along the
 * error's JSON pointer, lower/builder.ts), else at the model; the pointer stays in the message.
 */
export function loweredDocumentError(e: unknown, lowered: LoweredDocument): unknown {
  const pointer = e instanceof TrajanError ? e.location?.pointer : undefined;
  const model = lowered.model.element.location;
  // Nesting the PFA parser refuses comes from the document (deep expressions), not from a defect.
  if (e instanceof TrajanError && e.code === 'too-deep')
    return new PfaSemanticError('pmml-too-deep', `the model nests too deeply for the PFA engine: ${e.message}`, model);
  // The lowered document is ours: a check failure there is a lowering defect, said plainly.
  if (e instanceof TrajanError && e.kind !== 'runtime')
    return new PfaSemanticError(
      'pmml-lowering',
      `internal lowering error: ${e.message} at ${pointer ?? ''}`,
      originAt(lowered.built, pointer) ?? model,
    );
  return e;
}
