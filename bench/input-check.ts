/**
 * CPU time of the input check on the small inputs where it weighs most against scoring: an
 * iris-like record of 4 doubles and a record of 100 doubles, each checked by the generated
 * predicate (`fits`) and by the closure validator it is measured against; then the same records
 * as a server checks them (Avro's JSON encoding), by `fits(t, 'json')` and by ajv with the type's
 * JSON Schema, which the server used before. Per record, in ns.
 *
 *   npx tsx --expose-gc bench/input-check.ts
 *   FITS_BASELINE=<module exporting another fits> npx tsx --expose-gc bench/input-check.ts
 */
import { Ajv } from 'ajv';
import { fits } from '../src/avro/fits.js';
import { avroJsonSchema } from '../src/avro/json-schema.js';
import { validator } from '../src/avro/validate.js';
import type { AvroType } from '../src/avro/types.js';
import { NameRegistry, parseSchema } from '../src/avro/schema.js';
import { interleaved } from './cpu-time.js';

const record = (name: string, n: number, field: (i: number) => string): AvroType =>
  parseSchema(
    { type: 'record', name, fields: Array.from({ length: n }, (_, i) => ({ name: field(i), type: 'double' })) },
    new NameRegistry(),
  );

const IRIS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const cases = [
  { name: 'iris (4 doubles)', type: record('Iris', 4, (i) => IRIS[i]!), n: 4, field: (i: number) => IRIS[i]! },
  { name: '100 doubles', type: record('Wide', 100, (i) => `f${i}`), n: 100, field: (i: number) => `f${i}` },
];

/** An earlier build of `fits` to compare with, from the module named by FITS_BASELINE. */
const extra: Record<string, (t: AvroType) => (v: unknown) => boolean> = {};
if (process.env.FITS_BASELINE) extra.before = ((await import(process.env.FITS_BASELINE)) as { fits: typeof fits }).fits;

const BATCH = 1000;
for (const c of cases) {
  // Parsed from JSON text, as records arrive at a server or from a file.
  const values = Array.from(
    { length: BATCH },
    (_, k) => JSON.parse(JSON.stringify(Object.fromEntries(Array.from({ length: c.n }, (_, i) => [c.field(i), k + i / 7])))) as unknown,
  );
  const checkers: Record<string, (v: unknown) => boolean> = {
    fits: fits(c.type),
    ...Object.fromEntries(Object.entries(extra).map(([k, f]) => [k, f(c.type)])),
  };
  const problem = validator(c.type);
  checkers.validator = (v) => problem(v) === undefined;
  checkers['fits json'] = fits(c.type, 'json');
  const ajv = new Ajv({ strict: false }).compile(avroJsonSchema(c.type));
  checkers['ajv json'] = (v) => ajv(v);
  let sink = 0;
  const tasks = Object.fromEntries(
    Object.entries(checkers).map(([k, ok]) => [
      k,
      () => {
        for (let i = 0; i < BATCH; i++) if (ok(values[i])) sink++;
      },
    ]),
  );
  const best = interleaved(tasks, 7, 150);
  if (sink === 0) throw new Error('no value fit');
  console.log(
    c.name,
    Object.entries(best)
      .map(([k, ms]) => `${k} ${((ms * 1e6) / BATCH).toFixed(1)} ns`)
      .join(', '),
  );
}
