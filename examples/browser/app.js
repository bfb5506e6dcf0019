// The example page: loads the model file the user picks with Trajan's browser build, builds a form
// from the model's input record and shows the score. Serve the repository root over HTTP (module
// scripts do not load from file://) after `npm run build:browser`; see docs/browser.md.
import { loadModel, wireTypes, modelInput, toPlainJson, stringifyJson } from '../../dist/browser/trajan-pmml.js';

const $ = (id) => document.getElementById(id);
let model;
let wire; // the record types the model reads and writes as plain JSON

/** A nullable field's non-null branch, for choosing its form control. */
function unwrap(type) {
  if (type.kind !== 'union') return type;
  const rest = type.types.filter((b) => b.kind !== 'null');
  return rest.length === 1 ? rest[0] : type;
}

function control(name, type) {
  const t = unwrap(type);
  if (t.kind === 'enum') {
    const select = document.createElement('select');
    for (const s of t.symbols) select.add(new Option(s, s));
    return select;
  }
  const input = document.createElement('input');
  if (t.kind === 'boolean') input.type = 'checkbox';
  else if (['int', 'long', 'float', 'double'].includes(t.kind)) Object.assign(input, { type: 'number', step: 'any', required: type.kind !== 'union' });
  else if (t.kind !== 'string') input.placeholder = 'JSON';
  input.name = name;
  return input;
}

/** The form's value for one field, as plain JSON. */
function read(el, type) {
  const t = unwrap(type);
  if (t.kind === 'boolean') return el.checked;
  if (el.value === '' && type.kind === 'union') return null;
  if (['int', 'long', 'float', 'double'].includes(t.kind)) return Number(el.value);
  if (t.kind === 'string' || t.kind === 'enum') return el.value;
  return JSON.parse(el.value);
}

function inputFields() {
  const t = wire.input;
  return t.kind === 'record' ? t.fields : [{ name: 'input', type: t }];
}

function showForm() {
  const box = $('fields');
  box.replaceChildren();
  for (const f of inputFields()) {
    const label = document.createElement('label');
    const caption = document.createElement('span');
    caption.textContent = f.name;
    const el = control(f.name, f.type);
    el.id = `field-${f.name}`;
    label.append(caption, el);
    box.append(label);
  }
  $('record').hidden = false;
}

function status(text, isError = false) {
  $('status').textContent = text;
  $('status').className = isError ? 'error' : '';
}

$('model-file').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  $('result').hidden = true;
  try {
    model = loadModel(await file.text());
    wire = wireTypes(model);
    status(`Loaded ${model.name} (${model.format.toUpperCase()}) from ${file.name}.`);
    showForm();
  } catch (e) {
    model = undefined;
    $('record').hidden = true;
    status(`${file.name}: ${e.message}`, true);
  }
});

$('record').addEventListener('submit', (event) => {
  event.preventDefault();
  try {
    const values = inputFields().map((f) => [f.name, read($(`field-${f.name}`), f.type)]);
    const plain = wire.input.kind === 'record' ? Object.fromEntries(values) : values[0][1];
    const result = model.score(modelInput(wire, plain));
    $('result').textContent = stringifyJson(toPlainJson(wire.output, result), 2);
    status(`Scored with ${model.name}.`);
  } catch (e) {
    $('result').textContent = '';
    status(e.message, true);
  }
  $('result').hidden = false;
});
