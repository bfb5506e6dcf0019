/**
 * A model as a worker thread receives it, once, when the thread starts. A PFA document goes as its
 * text: the thread parses, checks and compiles it. A PMML model goes as what loading it on the
 * calling thread already produced: the lowered PFA document (`PmmlModel.pfa`, what `trajan
 * convert` writes) and the field mapping its `score` needs, so no thread parses and lowers the XML
 * again. A thread given only text (`trajan serve --isolate`) loads it as `loadModel` does.
 */
import { loadModel, type Model, type ModelLoadOptions } from '../model.js';
import type { LoweredDocument } from '../pmml/lower/document.js';
import type { DataField } from '../pmml/lower/fields.js';
import { PmmlModel } from '../pmml/model.js';

/** Load options that can be sent to a thread (no callbacks). */
export type WorkerLoadOptions = Omit<ModelLoadOptions, 'onEmit' | 'onLog'>;

/** The parts of a lowered PMML document that `PmmlModel` reads when it is built: no XML. */
interface LoweredParts {
  readonly pfa: LoweredDocument['pfa'];
  readonly dictionary: LoweredDocument['dictionary'];
  readonly results: LoweredDocument['results'];
  readonly inputs: readonly Pick<DataField, 'name' | 'inputName' | 'type' | 'multiple' | 'dataType' | 'optype' | 'values'>[];
}

export type WorkerData = { readonly source: string; readonly loadOptions: WorkerLoadOptions } | { readonly lowered: LoweredParts; readonly loadOptions: WorkerLoadOptions };

/**
 * `PmmlModel` keeps its lowered document private and has no constructor from parts; until it has
 * one, the parts are read here, and only the fields its constructor uses are sent.
 */
function loweredParts(model: PmmlModel): LoweredParts {
  const { pfa, dictionary, results, inputs } = (model as unknown as { readonly lowered: LoweredDocument }).lowered;
  const slim = inputs.map(({ name, inputName, type, multiple, dataType, optype, values }) => ({ name, inputName, type, dataType, optype, ...(multiple ? { multiple } : {}), ...(values ? { values } : {}) }));
  return { pfa, dictionary, results, inputs: slim };
}

/** What a thread needs to build `model` again; `source` is the text `model` was loaded from. */
export function workerData(model: Model, source: string, loadOptions: WorkerLoadOptions = {}): WorkerData {
  return model instanceof PmmlModel ? { lowered: loweredParts(model), loadOptions } : { source, loadOptions };
}

/** The model a thread was sent. */
export function modelFromWorkerData(data: WorkerData): Model {
  if (!('lowered' in data)) return loadModel(data.source, data.loadOptions);
  // Lowering options were spent on the calling thread; the rest are the engine's and the record check's.
  const { maxTreeDepth: _depth, maxSegments: _segments, ...options } = data.loadOptions;
  return new PmmlModel(data.lowered as unknown as LoweredDocument, undefined, options);
}
