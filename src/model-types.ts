/**
 * TypeScript declarations for a model's plain records, as `trajan types` writes them: an interface
 * for one input record and one for one result, with doc comments from the document (display names,
 * data and operational types, intervals), valid values as unions of string literals, and nullable
 * input fields optional. A service that scores with `loadModel<In, Out>` then gets its field names
 * and types checked at compile time.
 *
 * Every name and text taken from the document is quoted (property names with JSON.stringify,
 * comments with `*\/` broken), so a document cannot write code into the declarations.
 */
import type { AvroType, RecordType } from './avro/types.js';
import type { Model } from './model.js';
import type { FieldInterval, ModelField } from './model-fields.js';

/** An identifier for a type name: the document's name in PascalCase, letters and digits only. */
export function typeName(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const pascal = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z_]/.test(pascal) ? pascal : `Model${pascal}`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name as written in an interface: bare when it is an identifier, else quoted. */
const propertyName = (name: string): string => (IDENTIFIER.test(name) ? name : JSON.stringify(name));

/** Text for a doc comment: one line, and no `*\/` to end the comment early. */
const commentText = (text: string): string => text.replace(/\s+/g, ' ').replace(/\*\//g, '*\\/');

/** Named records met on the way, written as interfaces after the two main ones. */
class Named {
  readonly written = new Map<string, string>();
  readonly pending: RecordType[] = [];
  private readonly taken: Set<string>;

  constructor(reserved: readonly string[]) {
    this.taken = new Set(reserved);
  }

  /** The interface name of record `t`, queued to be written the first time it is met. */
  nameOf(t: RecordType): string {
    const known = this.written.get(t.fullName);
    if (known) return known;
    let name = typeName(t.name);
    while (this.taken.has(name)) name = `${name}_`;
    this.taken.add(name);
    this.written.set(t.fullName, name);
    this.pending.push(t);
    return name;
  }
}

function tsType(t: AvroType, named: Named): string {
  switch (t.kind) {
    case 'null':
      return 'null';
    case 'boolean':
      return 'boolean';
    case 'int':
    case 'long':
    case 'float':
    case 'double':
      return 'number';
    case 'string':
    case 'bytes':
    case 'fixed':
      return 'string';
    case 'enum':
      return t.symbols.map((s) => JSON.stringify(s)).join(' | ');
    case 'array':
      return `Array<${tsType(t.items, named)}>`;
    case 'map':
      return `Record<string, ${tsType(t.values, named)}>`;
    case 'record':
      return named.nameOf(t);
    case 'union':
      return [...new Set(t.types.map((b) => tsType(b, named)))].join(' | ');
  }
}

/** A field's type: its valid values as string literals when the document lists them. */
function fieldType(f: ModelField, named: Named): string {
  if (!f.values?.length || !isText(f.type)) return tsType(f.type, named);
  const literals = f.values.map((v) => JSON.stringify(v)).join(' | ');
  return f.type.kind === 'union' && f.type.types.some((b) => b.kind === 'null') ? `${literals} | null` : literals;
}

const isText = (t: AvroType): boolean => t.kind === 'string' || (t.kind === 'union' && t.types.some((b) => b.kind === 'string'));

function intervalText(i: FieldInterval): string {
  const left = i.leftMargin === undefined ? '(-∞' : `${i.closure.startsWith('open') ? '(' : '['}${i.leftMargin}`;
  const right = i.rightMargin === undefined ? '∞)' : `${i.rightMargin}${i.closure.endsWith('Open') ? ')' : ']'}`;
  return `${left}, ${right}`;
}

/** The doc comment of a field: display name, then what the document declares of it. */
function fieldComment(f: ModelField): string | undefined {
  const facts = [
    f.opType && f.dataType ? `${f.opType} ${f.dataType}` : (f.dataType ?? f.opType),
    f.intervals?.length ? `valid in ${f.intervals.map(intervalText).join(' or ')}` : undefined,
  ].filter((x): x is string => x !== undefined);
  const lines = [f.displayName, facts.join('; ') || undefined].filter((x): x is string => x !== undefined && x !== '');
  return lines.length ? lines.map(commentText).join('. ') : undefined;
}

function interfaceText(name: string, comment: string, fields: readonly ModelField[], named: Named): string {
  const members = fields.map((f) => {
    const doc = fieldComment(f);
    return `${doc ? `  /** ${doc} */\n` : ''}  ${propertyName(f.name)}${f.optional ? '?' : ''}: ${fieldType(f, named)};`;
  });
  return `/** ${commentText(comment)} */\nexport interface ${name} {\n${members.join('\n')}\n}`;
}

const asFields = (t: RecordType): ModelField[] => t.fields.map((f) => ({ name: f.name, type: f.type, schema: {}, optional: f.hasDefault }));

/**
 * The declarations of `model`'s records: `<Name>Input` and `<Name>Output` (Name from the model's
 * name) and the aliases `ModelInput`/`ModelOutput`. An input or output that is not a record is a
 * type alias of its values.
 */
export function modelDeclarations(model: Model<never>): string {
  const base = typeName(model.name);
  const inputName = `${base}Input`;
  const outputName = `${base}Output`;
  const named = new Named([inputName, outputName, 'ModelInput', 'ModelOutput']);
  const what = `${model.format.toUpperCase()} model ${JSON.stringify(model.name)}`;
  const side = (name: string, label: string, fields: readonly ModelField[], t: AvroType): string =>
    t.kind === 'record' || model.format === 'pmml'
      ? interfaceText(name, `One ${label} of the ${what}.`, fields, named)
      : `/** One ${label} of the ${what}. */\nexport type ${name} = ${tsType(t, named)};`;
  // PMML: what the model reads (a target only when a residual output reads it), all optional.
  const inputs = model.format === 'pmml' && model.wire.input.kind === 'record' ? readFields(model) : model.inputFields;
  const parts = [
    `// Generated by trajan types from the ${what}; regenerate rather than edit.`,
    side(inputName, 'input record', inputs, model.inputType),
    side(outputName, 'result', [...model.targetFields, ...model.outputFields], model.outputType),
    `export type ModelInput = ${inputName};`,
    `export type ModelOutput = ${outputName};`,
  ];
  while (named.pending.length) {
    const t = named.pending.shift()!;
    parts.push(interfaceText(named.written.get(t.fullName)!, `The record ${t.fullName}.`, asFields(t), named));
  }
  return `${parts.join('\n\n')}\n`;
}

/** A PMML model's input fields with any target it reads from the record, in the record's order. */
function readFields(model: Model<never>): readonly ModelField[] {
  const known = new Map([...model.inputFields, ...model.targetFields].map((f) => [f.name, f]));
  const wire = model.wire.input as RecordType;
  return wire.fields.map((f) => ({ ...(known.get(f.name) ?? { name: f.name, type: f.type, schema: {} }), optional: true }));
}
