/**
 * A model as a worker thread receives it, once, when the thread starts. A PFA model goes as its
 * text, which the thread loads as `loadModel` does. A loaded PMML model goes lowered
 * (`PmmlParts`: the PFA document's text and the field metadata read from the XML), so that the
 * thread only checks and compiles the PFA: reading the XML and lowering it were half (a 0.4 MB
 * ensemble) to two thirds (a 3 MB forest) of a PMML model's load in a fresh thread
 * (docs/performance.md, "Worker threads build PMML models from their lowered form").
 */
import { loadModel, type Model, type ModelLoadOptions } from '../model.js';
import { partsOf, PmmlModel, pmmlFromParts, type PmmlParts } from '../pmml/model.js';

/** Load options that can be sent to a thread (no callbacks). */
export type WorkerLoadOptions = Omit<ModelLoadOptions, 'onEmit' | 'onLog'>;

export type WorkerData =
  | { readonly source: string; readonly loadOptions: WorkerLoadOptions }
  | { readonly pmml: PmmlParts; readonly loadOptions: WorkerLoadOptions };

/**
 * What a thread needs to build the model loaded from `source` with `loadOptions`: `model`'s
 * lowered parts when it is a loaded PMML model, else the text to load again.
 */
export function workerData(source: string, loadOptions: WorkerLoadOptions = {}, model?: Model): WorkerData {
  return model instanceof PmmlModel ? { pmml: partsOf(model), loadOptions } : { source, loadOptions };
}

/** The model a thread was sent. */
export function modelFromWorkerData(data: WorkerData): Model {
  if ('source' in data) return loadModel(data.source, data.loadOptions);
  return pmmlFromParts(data.pmml, data.loadOptions);
}
