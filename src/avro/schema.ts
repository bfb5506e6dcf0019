/**
 * Avro schema JSON <-> AvroType. One `NameRegistry` is shared by every schema of a document, so a
 * named type defined once (in `input`, say) can be referenced by name anywhere after it.
 */
import { T, isPrimitiveName, type AvroType, type EnumType, type Field, type FixedType, type NamedType, type RecordType } from './types.js';

/** Raised for an invalid schema; `path` is a JSON pointer relative to the schema's root. */
export class SchemaError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Deepest nesting of schemas, counting each forward reference resolved on the way: parsing recurses
 * on both, and a document could chain them without end. Well above any real schema, well within a
 * default Node stack.
 */
export const MAX_SCHEMA_DEPTH = 1000;

export class NameRegistry {
  private readonly types = new Map<string, NamedType>();
  /** Definitions seen in the document but not parsed yet, so that forward references resolve. */
  private readonly pending = new Map<string, { json: Record<string, unknown>; namespace: string | undefined }>();
  private readonly byDefinition = new WeakMap<object, NamedType>();

  addPending(fullName: string, json: Record<string, unknown>, namespace: string | undefined): void {
    if (!this.pending.has(fullName)) this.pending.set(fullName, { json, namespace });
  }

  /** The type already parsed from this very definition object, if any. */
  parsedFrom(json: object): NamedType | undefined {
    return this.byDefinition.get(json);
  }

  /** Looks a name up, parsing a pending forward definition on demand (`depth` as in parseSchema). */
  resolve(fullName: string, path: string, depth = 0): NamedType | undefined {
    const known = this.types.get(fullName);
    if (known) return known;
    const p = this.pending.get(fullName);
    if (!p) return undefined;
    this.pending.delete(fullName);
    // The enclosing namespace of the definition's own location.
    const ns = p.namespace && fullName.startsWith(`${p.namespace}.`) ? p.namespace : undefined;
    parseSchema(p.json, this, ns, path, depth + 1);
    return this.types.get(fullName);
  }

  get(fullName: string): NamedType | undefined {
    return this.types.get(fullName);
  }

  has(fullName: string): boolean {
    return this.types.has(fullName);
  }

  all(): IterableIterator<NamedType> {
    return this.types.values();
  }

  define(t: NamedType, json: object, path: string): void {
    if (this.types.has(t.fullName)) throw new SchemaError(`named type ${t.fullName} is defined more than once`, path);
    this.types.set(t.fullName, t);
    this.byDefinition.set(json, t);
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function splitName(name: string, namespace: string | undefined, path: string): { name: string; namespace?: string; fullName: string } {
  const parts = name.split('.');
  for (const p of parts) if (!NAME.test(p)) throw new SchemaError(`invalid name ${JSON.stringify(name)}`, path);
  if (parts.length > 1) {
    const ns = parts.slice(0, -1).join('.');
    return { name: parts[parts.length - 1]!, namespace: ns, fullName: name };
  }
  return namespace ? { name, namespace, fullName: `${namespace}.${name}` } : { name, fullName: name };
}

/**
 * Parses an Avro schema. `namespace` is the enclosing namespace used to qualify short names and to
 * resolve references; named types are added to `names` as they are met. `depth` is the nesting of
 * this schema in the walk (MAX_SCHEMA_DEPTH at most).
 */
export function parseSchema(json: unknown, names: NameRegistry, namespace?: string, path = '', depth = 0): AvroType {
  if (depth > MAX_SCHEMA_DEPTH)
    throw new SchemaError(`schemas nested deeper than ${MAX_SCHEMA_DEPTH} levels (forward references included)`, path);
  const d = depth + 1;
  if (typeof json === 'string') {
    if (isPrimitiveName(json)) return T[json];
    const direct = namespace && !json.includes('.') ? names.resolve(`${namespace}.${json}`, path, depth) : undefined;
    const found = direct ?? names.resolve(json, path, depth);
    if (!found) throw new SchemaError(`unknown type name ${JSON.stringify(json)}`, path);
    return found;
  }
  if (Array.isArray(json)) {
    if (json.length === 0) throw new SchemaError('a union needs at least one type', path);
    const types = json.map((x, i) => parseSchema(x, names, namespace, `${path}/${i}`, d));
    const seen = new Set<string>();
    types.forEach((t, i) => {
      if (t.kind === 'union') throw new SchemaError('a union may not directly contain another union', `${path}/${i}`);
      const key = t.kind === 'record' || t.kind === 'enum' || t.kind === 'fixed' ? t.fullName : t.kind;
      if (seen.has(key)) throw new SchemaError(`a union may not contain ${key} twice`, `${path}/${i}`);
      seen.add(key);
    });
    return T.union(types);
  }
  if (!isObject(json)) throw new SchemaError('a schema must be a string, an array or an object', path);
  const type = json.type;
  if (typeof type !== 'string' && !Array.isArray(type) && !isObject(type)) throw new SchemaError('schema object needs a "type"', path);
  switch (type) {
    case 'array':
      if (!('items' in json)) throw new SchemaError('array schema needs "items"', path);
      return T.array(parseSchema(json.items, names, namespace, `${path}/items`, d));
    case 'map':
      if (!('values' in json)) throw new SchemaError('map schema needs "values"', path);
      return T.map(parseSchema(json.values, names, namespace, `${path}/values`, d));
    case 'record':
    case 'error':
    case 'enum':
    case 'fixed': {
      const prior = names.parsedFrom(json);
      if (prior) return prior;
      if (type === 'enum') return parseEnum(json, names, namespace, path);
      if (type === 'fixed') return parseFixed(json, names, namespace, path);
      return parseRecord(json, names, namespace, path, d);
    }
    default:
      // {"type": "int"}, {"type": "SomeName"}, {"type": {...}}
      return parseSchema(type, names, namespace, `${path}/type`, d);
  }
}

function namedHeader(json: Record<string, unknown>, namespace: string | undefined, path: string) {
  if (typeof json.name !== 'string') throw new SchemaError('named type needs a string "name"', path);
  if (json.namespace !== undefined && typeof json.namespace !== 'string') throw new SchemaError('"namespace" must be a string', path);
  const ns = (json.namespace as string | undefined) ?? namespace;
  const parsed = splitName(json.name, ns || undefined, `${path}/name`);
  if (isPrimitiveName(parsed.fullName)) throw new SchemaError(`a named type cannot be called ${parsed.fullName}`, `${path}/name`);
  const aliases = Array.isArray(json.aliases) ? (json.aliases as string[]) : undefined;
  const doc = typeof json.doc === 'string' ? json.doc : undefined;
  return { ...parsed, ...(aliases ? { aliases } : {}), ...(doc !== undefined ? { doc } : {}) };
}

function parseRecord(
  json: Record<string, unknown>,
  names: NameRegistry,
  namespace: string | undefined,
  path: string,
  depth: number,
): RecordType {
  const header = namedHeader(json, namespace, path);
  if (!Array.isArray(json.fields)) throw new SchemaError('record schema needs a "fields" array', path);
  const rec: RecordType = { kind: 'record', ...header, fields: [] };
  names.define(rec, json, path);
  const fieldNames = new Set<string>();
  const fields: Field[] = json.fields.map((f: unknown, i: number) => {
    const fp = `${path}/fields/${i}`;
    if (!isObject(f) || typeof f.name !== 'string') throw new SchemaError('record field needs a string "name"', fp);
    if (!NAME.test(f.name)) throw new SchemaError(`invalid field name ${JSON.stringify(f.name)}`, `${fp}/name`);
    if (fieldNames.has(f.name)) throw new SchemaError(`duplicate field ${f.name}`, `${fp}/name`);
    fieldNames.add(f.name);
    if (!('type' in f)) throw new SchemaError('record field needs a "type"', fp);
    const type = parseSchema(f.type, names, header.namespace, `${fp}/type`, depth);
    const order = f.order;
    if (order !== undefined && order !== 'ascending' && order !== 'descending' && order !== 'ignore')
      throw new SchemaError('field "order" must be ascending, descending or ignore', `${fp}/order`);
    return {
      name: f.name,
      type,
      hasDefault: 'default' in f,
      ...('default' in f ? { default: f.default } : {}),
      ...(order ? { order } : {}),
      ...(typeof f.doc === 'string' ? { doc: f.doc } : {}),
    };
  });
  rec.fields = fields;
  return rec;
}

function parseEnum(json: Record<string, unknown>, names: NameRegistry, namespace: string | undefined, path: string): EnumType {
  const header = namedHeader(json, namespace, path);
  const symbols = json.symbols;
  if (!Array.isArray(symbols) || !symbols.every((s) => typeof s === 'string' && NAME.test(s)))
    throw new SchemaError('enum schema needs "symbols", an array of names', path);
  if (new Set(symbols).size !== symbols.length) throw new SchemaError('enum symbols must be unique', `${path}/symbols`);
  const t: EnumType = { kind: 'enum', ...header, symbols: symbols as string[] };
  names.define(t, json, path);
  return t;
}

function parseFixed(json: Record<string, unknown>, names: NameRegistry, namespace: string | undefined, path: string): FixedType {
  const header = namedHeader(json, namespace, path);
  if (typeof json.size !== 'number' || !Number.isInteger(json.size) || json.size < 0)
    throw new SchemaError('fixed schema needs a non-negative integer "size"', path);
  const t: FixedType = { kind: 'fixed', ...header, size: json.size };
  names.define(t, json, path);
  return t;
}

/**
 * The Avro schema JSON of a type. Each named type is written in full the first time and by name
 * after that (pass the same `written` set across the schemas of one document).
 */
export function toSchemaJson(t: AvroType, written = new Set<string>()): unknown {
  switch (t.kind) {
    case 'array':
      return { type: 'array', items: toSchemaJson(t.items, written) };
    case 'map':
      return { type: 'map', values: toSchemaJson(t.values, written) };
    case 'union':
      return t.types.map((x) => toSchemaJson(x, written));
    case 'record': {
      if (written.has(t.fullName)) return t.fullName;
      written.add(t.fullName);
      return {
        type: 'record',
        name: t.name,
        ...(t.namespace ? { namespace: t.namespace } : {}),
        fields: t.fields.map((f) => ({
          name: f.name,
          type: toSchemaJson(f.type, written),
          ...(f.hasDefault ? { default: f.default } : {}),
          ...(f.order ? { order: f.order } : {}),
        })),
      };
    }
    case 'enum':
      if (written.has(t.fullName)) return t.fullName;
      written.add(t.fullName);
      return { type: 'enum', name: t.name, ...(t.namespace ? { namespace: t.namespace } : {}), symbols: [...t.symbols] };
    case 'fixed':
      if (written.has(t.fullName)) return t.fullName;
      written.add(t.fullName);
      return { type: 'fixed', name: t.name, ...(t.namespace ? { namespace: t.namespace } : {}), size: t.size };
    default:
      return t.kind;
  }
}
