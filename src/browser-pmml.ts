/**
 * The complete browser entry, `trajan/browser-pmml`: everything of `trajan/browser` plus PMML,
 * `loadModel` (PFA or PMML, by content) and the wire types of a model's input and output. Bundled
 * into dist/browser/trajan-pmml.js. It awaits `ready()` when it loads, so every document loads
 * synchronously afterwards, as with the Node library.
 */
import { ready } from './lazy-modules.js';

export * from './browser.js';
export { wireTypes, modelInput, type WireTypes } from './io/wire.js';
export { loadModel, detectFormat, PfaModel, type Model, type ModelFormat } from './model.js';
export { loadPmml, PmmlModel, type PmmlField } from './pmml/model.js';
export type { VerificationReport } from './pmml/verify.js';

await ready();
