/** Hand-built record types for the `stat.*` specs (a list of pairs, so a field may be named `__proto__`). */
import type { AvroType, RecordType } from '../../../../src/avro/types.js';

export function record(name: string, fields: [string, AvroType][]): RecordType {
  return { kind: 'record', name, fullName: name, fields: fields.map(([n, type]) => ({ name: n, type, hasDefault: false })) };
}
