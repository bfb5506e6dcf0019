/** PFA namespace `stat.change`: change detection (run triggers, z-values, CUSUM). */
import type { RecordType } from '../../../avro/types.js';
import { INT_MAX } from '../../../avro/values.js';
import { runtimeError } from '../../../errors.js';
import { defineLibrary } from '../define.js';
import { divide } from './_divide.js';
import { recordUpdater, type Rec } from './_state-record.js';

interface TriggerHistory extends Rec {
  numEvents: number;
  numRuns: number;
  currentRun: number;
  longestRun: number;
}

interface MeanVariance extends Rec {
  count: number;
  mean: number;
  variance: number;
}

const TRIGGER_FIELDS = ['numEvents', 'numRuns', 'currentRun', 'longestRun'];

function counterOutOfRange(): Error {
  return runtimeError(37000, 'counter out of range', 'stat.change.updateTrigger');
}

/** The counters are ints: one past the int range is as much out of range as a negative one. */
function increment(counter: number): number {
  if (counter === INT_MAX) throw counterOutOfRange();
  return counter + 1;
}

export default defineLibrary('stat.change', {
  updateTrigger: {
    sig: '(predicate: boolean, history: record A {numEvents: int, numRuns: int, currentRun: int, longestRun: int}) -> A',
    errors: [37000],
    make: (site) => {
      const update = recordUpdater(site.paramTypes[1] as RecordType, TRIGGER_FIELDS);
      return (predicate: boolean, h: TriggerHistory) => {
        const { numEvents, numRuns, currentRun, longestRun } = h;
        if (numEvents < 0 || numRuns < 0 || currentRun < 0 || longestRun < 0) throw counterOutOfRange();
        // The reference engine counts events only when the predicate holds (the text says "always").
        if (!predicate) return update(h, [numEvents, numRuns, 0, longestRun]);
        const run = increment(currentRun);
        return update(h, [increment(numEvents), currentRun === 0 ? increment(numRuns) : numRuns, run, Math.max(run, longestRun)]);
      };
    },
  },

  zValue: {
    sig: [
      '(x: double, meanVariance: record A {mean: double, variance: double}) -> double',
      '(x: double, meanVariance: record A {count: double, mean: double, variance: double}, unbiased: boolean) -> double',
    ],
    // A negative variance or count below 1 gives NaN through Math.sqrt, as in the reference engine.
    fn: (x: number, mv: MeanVariance, unbiased?: boolean) => {
      const z = divide(x - mv.mean, Math.sqrt(mv.variance));
      return unbiased ? z * Math.sqrt(mv.count / (mv.count - 1)) : z;
    },
  },

  updateCUSUM: {
    sig: '(logLikelihoodRatio: double, last: double, reset: double) -> double',
    // Not Math.max: a NaN sum resets rather than propagating.
    fn: (logLikelihoodRatio: number, last: number, reset: number) => {
      const sum = logLikelihoodRatio + last;
      // biome-ignore lint/complexity/useMathMinMax: a NaN sum resets, where Math.max would carry NaN on
      return sum > reset ? sum : reset;
    },
  },
});
