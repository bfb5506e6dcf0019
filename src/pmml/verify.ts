/**
 * ModelVerification: the document's own records of inputs and expected results, run through the
 * model and compared with the precision and zero threshold each VerificationField declares.
 */
import { child, childrenNamed, type XmlElement } from './xml.js';
import { parseNumber } from './lower/context.js';

export interface VerificationReport {
  readonly records: number;
  readonly passed: number;
  readonly failures: readonly { record: number; field: string; expected: unknown; actual: unknown }[];
}

interface Scorer {
  score(record: unknown): Record<string, unknown>;
}

/** The ModelVerification element of a document's model, if it has one. */
export function verificationOf(root: XmlElement): XmlElement | undefined {
  return root.children.map((m) => child(m, 'ModelVerification')).find((x) => x !== undefined);
}

export function verifyModel(model: Scorer, mv: XmlElement | undefined): VerificationReport {
  if (!mv) return { records: 0, passed: 0, failures: [] };
  const fields = childrenNamed(child(mv, 'VerificationFields') ?? mv, 'VerificationField').map((f) => ({
    name: f.attrs.field!,
    column: f.attrs.column ?? f.attrs.field!,
    precision: parseNumber(f.attrs.precision ?? '1e-6') ?? 1e-6,
    zero: parseNumber(f.attrs.zeroThreshold ?? '1e-16') ?? 1e-16,
  }));
  const table = child(mv, 'InlineTable');
  const rows = table ? childrenNamed(table, 'row').map((r) => new Map(r.children.map((c) => [c.name, c.text]))) : [];
  const failures: { record: number; field: string; expected: unknown; actual: unknown }[] = [];
  let passed = 0;
  rows.forEach((row, i) => {
    const input: Record<string, unknown> = {};
    for (const f of fields) if (row.has(f.column)) input[f.name] = row.get(f.column);
    const out = model.score(input);
    let ok = true;
    for (const f of fields) {
      if (!(f.name in out) || !row.has(f.column)) continue;
      const expected = row.get(f.column)!;
      const actual = out[f.name];
      const e = parseNumber(expected);
      const good =
        typeof actual === 'number' && e !== undefined
          ? Math.abs(actual - e) <= Math.max(f.zero, Math.abs(e) * f.precision)
          : String(actual) === expected;
      if (!good) {
        ok = false;
        failures.push({ record: i, field: f.name, expected, actual });
      }
    }
    if (ok) passed++;
  });
  return { records: rows.length, passed, failures };
}
