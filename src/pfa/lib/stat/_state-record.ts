/**
 * Helpers for the `stat.*` functions that take a state record of the caller's own type and return
 * an updated copy: which optional fields the type has (decided at compile time) and how to build
 * the updated record while copying every other field unaltered.
 */
import type { AvroType, RecordType } from '../../../avro/types.js';
import { sameType, typeToString } from '../../../avro/types.js';
import { setField } from '../../../avro/values.js';
import { PfaSemanticError } from '../../../errors.js';

export type Rec = Record<string, unknown>;

/**
 * Whether `rec` has a field `name`. A field that is present but of another type than `type` is a
 * semantic error: the function would not know how to update it.
 */
export function hasField(rec: RecordType, name: string, type: AvroType, fcnName: string): boolean {
  const field = rec.fields.find((f) => f.name === name);
  if (!field) return false;
  if (!sameType(field.type, type)) {
    throw new PfaSemanticError(
      'incompatible-record-field',
      `${fcnName} is being given a record type in which the "${name}" field is not ${typeToString(type)}: ${typeToString(field.type)}`,
    );
  }
  return true;
}

export function stateRecordError(fcnName: string, why: string): PfaSemanticError {
  return new PfaSemanticError('incompatible-record-field', `${fcnName}: ${why}`);
}

/**
 * Builds records of type `rec` from a previous record: the fields listed in `names` take the
 * values given at the same positions, every other field is copied. Names the type lacks are
 * ignored, so one list can serve every optional layout.
 */
export function recordUpdater(rec: RecordType, names: readonly string[]): (old: Rec, values: readonly unknown[]) => Rec {
  const fieldNames = rec.fields.map((f) => f.name);
  const slots = fieldNames.map((n) => names.indexOf(n));
  return (old, values) => {
    const out: Rec = {};
    for (let i = 0; i < fieldNames.length; i++) {
      const name = fieldNames[i]!;
      const slot = slots[i]!;
      setField(out, name, slot < 0 ? old[name] : values[slot]);
    }
    return out;
  };
}
