/**
 * Options are checked by name: a misspelt option is an `unknown-option` error naming it and the
 * option it most likely meant, rather than being ignored while its default applies.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkPfaSource,
  loadModel,
  loadModelFile,
  loadPfa,
  loadPmml,
  PfaEngine,
  PfaInitializationError,
  type TrajanError,
} from '../../src/index.js';
import { MODEL_LOAD_OPTION_NAMES } from '../../src/model.js';
import { ENGINE_OPTION_NAMES } from '../../src/pfa/engine.js';

const PFA = '{"input": "double", "output": "double", "action": [{"+": ["input", 1]}]}';
const PMML_FILE = fileURLToPath(new URL('../../examples/iris-tree.pmml', import.meta.url));
const PMML = readFileSync(PMML_FILE, 'utf8');

function thrown(f: () => unknown): TrajanError {
  try {
    f();
  } catch (e) {
    return e as TrajanError;
  }
  throw new Error('expected an error');
}

/** Options as a caller might build them, typos included: the types would refuse them. */
const loose = (options: Record<string, unknown>) => options as never;

describe('unknown options', () => {
  it('are an unknown-option error from every loader, naming the option and the one meant', () => {
    const loaders: [string, () => unknown][] = [
      ['loadPfa', () => loadPfa(PFA, loose({ timout: 100 }))],
      ['loadPmml', () => loadPmml(PMML, loose({ timout: 100 }))],
      ['loadModel', () => loadModel(PFA, loose({ timout: 100 }))],
      ['loadModel', () => loadModel(PMML, loose({ timout: 100 }))],
      ['loadModelFile', () => loadModelFile(PMML_FILE, loose({ timout: 100 }))],
      ['PfaEngine', () => new PfaEngine(checkPfaSource(PFA), loose({ timout: 100 }))],
    ];
    for (const [caller, load] of loaders) {
      const e = thrown(load);
      expect(e).toBeInstanceOf(PfaInitializationError);
      expect(e.code).toBe('unknown-option');
      expect(e.message).toBe(`${caller}: unknown option "timout" (did you mean "timeout"?)`);
    }
  });

  it('suggests across case and separators, and only a name that is close', () => {
    expect(thrown(() => loadPfa(PFA, loose({ timeoutAction: 5 }))).message).toContain('did you mean "timeout.action"?');
    expect(thrown(() => loadModel(PMML, loose({ allowExtraField: true }))).message).toContain('did you mean "allowExtraFields"?');
    expect(thrown(() => loadModel(PMML, loose({ MaxTreeDepth: 10 }))).message).toContain('did you mean "maxTreeDepth"?');
    expect(thrown(() => loadPfa(PFA, loose({ colour: 'red' }))).message).toBe('loadPfa: unknown option "colour"');
  });

  it('are reported before a model file is read', () => {
    expect(thrown(() => loadModelFile('/nowhere/model.pmml', loose({ timout: 1 }))).code).toBe('unknown-option');
  });

  it('are the options a function does not take, even when another loader takes them', () => {
    // PMML's options are not PFA's, and loading options are not the engine's.
    expect(thrown(() => loadPfa(PFA, loose({ allowExtraFields: true }))).code).toBe('unknown-option');
    expect(thrown(() => loadPfa(PFA, loose({ maxTreeDepth: 10 }))).code).toBe('unknown-option');
    expect(thrown(() => checkPfaSource(PFA, loose({ timeout: 10 }))).code).toBe('unknown-option');
    expect(thrown(() => new PfaEngine(checkPfaSource(PFA), loose({ documentLimits: {} }))).code).toBe('unknown-option');
  });

  it('accept every name the options types declare, given or left undefined', () => {
    const undefinedModel = Object.fromEntries(Object.keys(MODEL_LOAD_OPTION_NAMES).map((name) => [name, undefined]));
    expect(loadModel<number, number>(PFA, undefinedModel).score(1)).toBe(2);
    expect(loadModel(PMML, undefinedModel).format).toBe('pmml');
    const undefinedEngine = Object.fromEntries(Object.keys(ENGINE_OPTION_NAMES).map((name) => [name, undefined]));
    expect(new PfaEngine(checkPfaSource(PFA), undefinedEngine).action(1)).toBe(2);
    const given = {
      timeout: 100,
      'timeout.action': 50,
      maxLoopSteps: 1000,
      documentLimits: { maxDepth: 100 },
      limits: { maxDepth: 50 },
      allowExtraFields: true,
      maxTreeDepth: 100,
      maxSegments: 10,
      backend: 'closures',
    } as const;
    expect(loadModel<number, number>(PFA, given).score(1)).toBe(2);
    expect(loadModel(PMML, given).format).toBe('pmml');
  });

  it('must be an object', () => {
    expect(thrown(() => loadPfa(PFA, loose(null as never)))).toMatchObject({ code: 'bad-option' });
    expect(thrown(() => loadModel(PFA, 'closures' as never))).toMatchObject({ code: 'bad-option' });
  });
});
