/**
 * validate-model with several problems per file: one line each in text, all of them under
 * `diagnostics` with --json, and a SARIF 2.1.0 log with --format sarif (its required structure is
 * checked here; the schema itself is not fetched).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'validate-problems-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const pfa = file(
  'three.pfa.json',
  `{"input": "double", "output": "double",
 "cells": {"c": {"type": "int", "init": "abc"}},
 "fcns": {"f": {"params": [{"x": "double"}], "ret": "string", "do": [{"+": ["x", 1]}]}},
 "action": [{"m.nosuch": ["input"]}, "input"]}`,
);
const pmml = file(
  'three.pmml',
  `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary><DataField name="x" optype="continuous" dataType="double"/></DataDictionary>
<TransformationDictionary>
<DerivedField name="a" optype="continuous" dataType="double"><FieldRef field="nosuch1"/></DerivedField>
<DerivedField name="b" optype="continuous" dataType="double"><FieldRef field="nosuch2"/></DerivedField>
</TransformationDictionary>
<SequenceModel functionName="sequences"><MiningSchema/></SequenceModel>
</PMML>`,
);
const valid = file('valid.pfa.json', '{"input": "double", "output": "double", "action": "input"}');
const many = file(
  'many.pfa.json',
  JSON.stringify({ input: 'double', output: 'double', action: [...Array.from({ length: 8 }, (_, i) => `v${i}`), 'input'] }),
);

describe('validate-model, every problem', () => {
  it('prints one line per problem, file:line:col code message, and exits 1', () => {
    const r = validate(valid, pfa, pmml);
    expect(r.status).toBe(1);
    expect(r.out).toEqual([
      `${valid}: OK`,
      `${pfa}:2:33 bad-value value does not match its type: expected int`,
      `${pfa}:3:63 return-mismatch u.f returns double, declared string`,
      `${pfa}:4:13 unknown-function unknown function "m.nosuch"`,
      `${pmml}:4:62 pmml-undefined-field field "nosuch1" is not defined`,
      `${pmml}:5:62 pmml-undefined-field field "nosuch2" is not defined`,
      `${pmml}:7:1 pmml-unsupported model SequenceModel is not supported`,
    ]);
  });

  it('caps the problems of a file at --max-problems and says that there were more', () => {
    const r = validate('--max-problems', '3', many);
    expect(r.out).toEqual([
      `${many}:1:47 unknown-symbol unknown symbol "v0"`,
      `${many}:1:52 unknown-symbol unknown symbol "v1"`,
      `${many}:1:57 unknown-symbol unknown symbol "v2"`,
      `${many}: more problems not shown (--max-problems 3)`,
    ]);
    expect(JSON.parse(validate('--json', '--max-problems', '3', many).out[0]!)).toMatchObject({ valid: false, truncated: true });
    expect(JSON.parse(validate('--json', many).out[0]!).truncated).toBeUndefined();
    for (const bad of ['0', '-1', 'x']) expect(validate('--max-problems', bad, many).status).toBe(2);
  });

  it('gives every problem under diagnostics with --json (and --format json)', () => {
    for (const flags of [['--json'], ['--format', 'json']]) {
      const r = validate(...flags, pfa, valid);
      expect(r.status).toBe(1);
      const [bad, good] = r.out.map((line) => JSON.parse(line));
      expect(good).toEqual({ file: valid, valid: true, diagnostics: [] });
      expect(bad.file).toBe(pfa);
      expect(bad.valid).toBe(false);
      expect(bad.diagnostics).toEqual([
        {
          kind: 'syntax',
          code: 'bad-value',
          message: 'value does not match its type: expected int',
          pointer: '/cells/c/init',
          line: 2,
          column: 33,
        },
        {
          kind: 'semantic',
          code: 'return-mismatch',
          message: 'u.f returns double, declared string',
          pointer: '/fcns/f/do',
          line: 3,
          column: 63,
        },
        { kind: 'semantic', code: 'unknown-function', message: 'unknown function "m.nosuch"', pointer: '/action/0', line: 4, column: 13 },
      ]);
    }
  });

  it('writes one SARIF 2.1.0 log with --format sarif', () => {
    const r = validate('--format', 'sarif', pfa, pmml, valid);
    expect(r.status).toBe(1);
    expect(r.out).toHaveLength(1);
    const log = JSON.parse(r.out[0]!);
    expect(log.version).toBe('2.1.0');
    expect(typeof log.$schema).toBe('string');
    expect(log.runs).toHaveLength(1);
    const [run] = log.runs;
    expect(run.tool.driver.name).toBe('trajan');
    expect(typeof run.tool.driver.version).toBe('string');
    const rules: { id: string }[] = run.tool.driver.rules;
    expect(rules.map((x) => x.id)).toEqual([
      'bad-value',
      'return-mismatch',
      'unknown-function',
      'pmml-undefined-field',
      'pmml-unsupported',
    ]);
    expect(run.results).toHaveLength(6);
    for (const res of run.results) {
      // What SARIF requires of a result: a message with text; ruleId and ruleIndex agree.
      expect(typeof res.message.text).toBe('string');
      expect(rules[res.ruleIndex]!.id).toBe(res.ruleId);
      expect(res.level).toBe('error');
      expect(res.locations).toHaveLength(1);
      const region = res.locations[0].physicalLocation.region;
      expect(Number.isInteger(region.startLine) && region.startLine >= 1 && region.startColumn >= 1).toBe(true);
    }
    expect(run.results[0].locations[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: pfa }, region: { startLine: 2, startColumn: 33 } },
      logicalLocations: [{ fullyQualifiedName: '/cells/c/init', kind: 'element' }],
    });
    expect(run.results[5]).toMatchObject({
      ruleId: 'pmml-unsupported',
      locations: [{ physicalLocation: { artifactLocation: { uri: pmml }, region: { startLine: 7, startColumn: 1 } } }],
    });
  });

  it('writes an empty SARIF run for valid files and exits 0', () => {
    const r = validate('--format', 'sarif', valid);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out[0]!).runs[0].results).toEqual([]);
  });

  it('exits 2 for a format it does not know, or --json with another format', () => {
    expect(validate('--format', 'xml', valid).status).toBe(2);
    expect(validate('--json', '--format', 'sarif', valid).status).toBe(2);
    const r = validate('--format', 'sarif', valid, join(dir, 'missing.pfa'));
    expect(r.status).toBe(2);
    expect(r.err).toHaveLength(1);
  });

  it('documents its flags in --help', () => {
    const r = validate('--help');
    expect(r.status).toBe(0);
    for (const flag of ['--json', '--format text|json|sarif', '--max-problems N']) expect(r.out.join('\n')).toContain(flag);
  });
});
