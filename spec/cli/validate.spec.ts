import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateText } from '../../src/cli/validate.js';
import { loadPfa } from '../../src/index.js';
import { validate } from '../helpers/cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describe('validate-model', () => {
  it('prints OK for a valid document and exits 0', () => {
    const r = validate(fixture('valid.pfa.json'));
    expect(r).toEqual({ status: 0, out: [`${fixture('valid.pfa.json')}: OK`], err: [] });
  });

  it('prints file:line:col code message for each invalid document and exits 1', () => {
    const r = validate(
      fixture('valid.pfa.json'),
      fixture('unknown-function.pfa.json'),
      fixture('malformed.pfa.json'),
      fixture('unknown-field.pfa.yaml'),
      fixture('wrong-output.pfa.yaml'),
    );
    expect(r.status).toBe(1);
    expect(r.out[1]).toBe(`${fixture('unknown-function.pfa.json')}:5:5 unknown-function unknown function "m.nosuch"`);
    expect(r.out[2]).toMatch(new RegExp(`^${fixture('malformed.pfa.json')}:5:1 json-syntax malformed JSON`));
    expect(r.out[3]).toBe(`${fixture('unknown-field.pfa.yaml')}:4:1 unknown-field unknown field "actoin"`);
    expect(r.out[4]).toMatch(new RegExp(`^${fixture('wrong-output.pfa.yaml')}:\\d+:\\d+ output-mismatch action returns string`));
  });

  it('prints one JSON object per file with --json', () => {
    const r = validate('--json', fixture('unknown-function.pfa.json'));
    expect(JSON.parse(r.out[0]!)).toEqual({
      file: fixture('unknown-function.pfa.json'),
      valid: false,
      diagnostics: [
        { kind: 'semantic', code: 'unknown-function', message: 'unknown function "m.nosuch"', pointer: '/action/0', line: 5, column: 5 },
      ],
    });
  });

  it('exits 2 for usage errors and unreadable files', () => {
    expect(validate().status).toBe(2);
    expect(validate('--nope', fixture('valid.pfa.json')).status).toBe(2);
    const r = validate(fixture('does-not-exist.pfa'));
    expect(r.status).toBe(2);
    expect(r.err[0]).toBe(`${fixture('does-not-exist.pfa')}: does not exist (ENOENT)`);
  });

  it('never prints a stack trace for a user mistake (through the real executable)', () => {
    const bin = fileURLToPath(new URL('../../src/cli/validate-model.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', bin, fixture('malformed.pfa.json')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });

  it('validates the examples shipped with the package', () => {
    const bin = fileURLToPath(new URL('../../src/cli/trajan.ts', import.meta.url));
    const examples = ['iris-tree.pfa.json', 'logistic.pfa.yaml'].map((f) => fileURLToPath(new URL(`../../examples/${f}`, import.meta.url)));
    const out = execFileSync(process.execPath, ['--import', 'tsx', bin, 'validate', ...examples], { encoding: 'utf8' });
    expect(out.trim().split('\n')).toEqual(examples.map((e) => `${e}: OK`));
  });

  it('gives the verdict loading gives, on documents the checker alone used to misjudge', () => {
    const docs = [
      '{"input": "int", "output": "int", "options": {"timeout": -1}, "action": "input"}',
      '{"@": "line 1", "input": "double", "output": "double", "action": {"@": "line 2", "+": ["input", 1.0]}}',
      '{"input": "double", "output": "double", "action": [{"let": {"x": 0.0}}, {"set": {"x": "input"}}, "x"]}',
      '{"input": "int", "output": "int", "action": [{"let": {"x": {"error": "no"}}}, 0]}',
    ];
    for (const text of docs) {
      const r = validateText('doc.pfa', text);
      let loaded: { valid: boolean; code?: string | number } = { valid: true };
      try {
        loadPfa(text);
      } catch (e) {
        loaded = { valid: false, code: (e as { code: string }).code };
      }
      expect({ valid: r.valid, code: r.diagnostics[0]?.code }).toEqual({ valid: loaded.valid, code: loaded.code });
    }
    expect(validateText('a', docs[0]!).diagnostics[0]).toMatchObject({ code: 'bad-option', pointer: '/options/timeout', line: 1 });
    expect(validateText('b', docs[1]!).valid).toBe(true);
    expect(validateText('c', docs[2]!).valid).toBe(true);
    expect(validateText('d', docs[3]!).diagnostics[0]).toMatchObject({ code: 'exception-as-value' });
  });
});
