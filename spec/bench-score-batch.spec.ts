import { describe, expect, it } from 'vitest';
import { loadModel, loadPfa } from '../src/index.js';
import { handJs } from '../bench/hand-js.js';
import { flatHandJs } from '../bench/hand-js-flat.js';
import { workloads } from '../bench/models.js';
import { pfaDocument } from '../bench/pfa.js';

// One workload of each shape the benchmark times (records of doubles into trees and ensembles,
// uniform and skewed; arrays of doubles into linear, logistic, softmax, network and k-means models).
const shapes = workloads(true);

describe('scoreBatch gives what a loop of single scores gives, on every benchmark workload shape', () => {
  for (const w of shapes) {
    it(`${w.name}: engine scoreBatch = action in a loop; loadModel scoreBatch = score in a loop`, () => {
      const text = JSON.stringify(pfaDocument(w.name, w.spec));
      const engine = loadPfa(text);
      const model = loadModel<unknown, unknown>(text);
      const inputs = w.inputs.slice(0, 301);
      // toEqual tells -0 from 0: the bits that matter here.
      expect(engine.scoreBatch(inputs)).toEqual(inputs.map((x) => engine.action(x)));
      expect(model.scoreBatch(inputs)).toEqual(inputs.map((x) => model.score(x)));
    });
  }

  it('the flat typed-array baseline gives the nested-if baseline to the bit on every ensemble workload', () => {
    const ensembles = shapes.filter((w) => w.family === 'ensemble');
    expect(ensembles.length).toBeGreaterThanOrEqual(3);
    for (const w of ensembles) {
      const flat = flatHandJs(w.spec)!;
      const ifs = handJs(w.spec);
      const bad = w.inputs.findIndex((x) => !Object.is(flat(x), ifs(x)));
      expect(bad, w.name).toBe(-1);
    }
  });
});
