/**
 * Developer aid: prints the signatures of the specification's `libfcns.xml` in the signature
 * notation of src/pfa/signature.ts, with each function's error codes, so that a namespace file can
 * be written and checked against the specification.
 *
 *   node --import tsx scripts/spec-signatures.ts ../shared/spec/pfa/libfcns.xml [prefix]
 *
 * With `--check` it instead compares the spec with the registered library and lists functions that
 * are missing or whose signatures differ.
 */
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: true });

function children(n: Node): Node[] {
  const key = Object.keys(n).find((k) => k !== ':@')!;
  const v = n[key];
  return Array.isArray(v) ? (v as Node[]) : [];
}
function tag(n: Node): string {
  return Object.keys(n).find((k) => k !== ':@')!;
}
function attrs(n: Node): Record<string, string> {
  return n[':@'] ?? {};
}

const seen = new Set<string>();

/** Renders a sequence of pattern nodes; consecutive <union> siblings form one union. */
function renderSeq(nodes: Node[]): string {
  const parts: string[] = [];
  let unionParts: string[] | null = null;
  for (const n of nodes) {
    if (tag(n) === 'union') {
      (unionParts ??= []).push(renderSeq(children(n)));
      continue;
    }
    if (unionParts) {
      parts.push(`union<${unionParts.join(', ')}>`);
      unionParts = null;
    }
    parts.push(render(n));
  }
  if (unionParts) parts.push(`union<${unionParts.join(', ')}>`);
  return parts.join(', ');
}

function render(n: Node): string {
  const t = tag(n);
  const a = attrs(n);
  switch (t) {
    case '#text':
      return String(n['#text']).trim();
    case 'array':
      return `array<${renderSeq(children(n))}>`;
    case 'map':
      return `map<${renderSeq(children(n))}>`;
    case 'any': {
      const label = a.label!;
      const first = !seen.has(label);
      seen.add(label);
      const of = a.of
        ? ` of ${a.of
            .split(',')
            .map((s) => s.trim())
            .join('|')}`
        : '';
      return first || of ? `any ${label}${of}` : label;
    }
    case 'ref':
      return a.label!;
    case 'record': {
      seen.add(a.label!);
      const fields = children(n).filter((c) => tag(c) === 'field');
      if (fields.length === 0) return `record ${a.label}`;
      return `record ${a.label} {${fields.map((f) => `${attrs(f).name}: ${renderSeq(children(f))}`).join(', ')}}`;
    }
    case 'enum':
      seen.add(a.label!);
      return a.ofRecord ? `enum ${a.label} of ${a.ofRecord}` : `enum ${a.label}`;
    case 'fixed':
      seen.add(a.label!);
      return `fixed ${a.label}`;
    case 'function': {
      const ps = children(n)
        .filter((c) => tag(c) === 'par')
        .map((p) => renderSeq(children(p)));
      const ret = children(n).find((c) => tag(c) === 'ret')!;
      return `fn(${ps.join(', ')}) -> ${renderSeq(children(ret))}`;
    }
    default:
      return `?${t}`;
  }
}

export interface SpecFunction {
  name: string;
  sigs: string[];
  errors: number[];
  deprecated: boolean;
  nondeterministic?: string;
}

export function readSpec(path: string): SpecFunction[] {
  const doc = parser.parse(readFileSync(path, 'utf8')) as Node[];
  const root = doc.find((n) => tag(n) === 'PFASpecification')!;
  const lib = children(root).find((n) => tag(n) === 'libfcns')!;
  const out: SpecFunction[] = [];
  for (const f of children(lib).filter((n) => tag(n) === 'fcn')) {
    const sigs: string[] = [];
    const errors: number[] = [];
    let deprecated = false;
    let nondeterministic: string | undefined;
    for (const c of children(f)) {
      if (tag(c) === 'sig') {
        seen.clear();
        if (attrs(c).deprecated) deprecated = true;
        const pars = children(c).filter((p) => tag(p) === 'par');
        const ret = children(c).find((p) => tag(p) === 'ret')!;
        const ps = pars.map((p) => `${attrs(p).name}: ${renderSeq(children(p))}`);
        sigs.push(`(${ps.join(', ')}) -> ${renderSeq(children(ret))}`);
      } else if (tag(c) === 'doc') {
        for (const d of children(c)) {
          if (tag(d) === 'error') errors.push(Number(attrs(d).code));
          if (tag(d) === 'nondeterministic') nondeterministic = attrs(d).type;
        }
      }
    }
    if (attrs(f).deprecated) deprecated = true;
    out.push({ name: attrs(f).name!, sigs, errors, deprecated, ...(nondeterministic ? { nondeterministic } : {}) });
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const [path, prefix = ''] = args.filter((a) => a !== '--check');
  if (!path) {
    console.error('usage: spec-signatures LIBFCNS.xml [prefix] [--check]');
    process.exit(2);
  }
  const spec = readSpec(path).filter((f) => f.name.startsWith(prefix));
  if (!check) {
    for (const f of spec) {
      console.log(`${f.name}${f.deprecated ? ' (deprecated)' : ''}${f.nondeterministic ? ` [${f.nondeterministic}]` : ''}`);
      for (const s of f.sigs) console.log(`  ${s}`);
      if (f.errors.length) console.log(`  errors: ${f.errors.join(', ')}`);
    }
    return;
  }
  const { registry } = await import('../src/pfa/lib/index.js');
  const { patternToString } = await import('../src/pfa/signature.js');
  const { parseSignature } = await import('../src/pfa/signature.js');
  let problems = 0;
  for (const f of spec) {
    const fn = registry.get(f.name);
    if (!fn) {
      console.log(`missing   ${f.name}`);
      problems++;
      continue;
    }
    const norm = (s: string) => {
      const sig = parseSignature(s);
      return `(${sig.params.map((p) => patternToString(p.type)).join(', ')}) -> ${patternToString(sig.ret)}`;
    };
    const want = f.sigs.map(norm);
    const have = fn.sigs.map((s) => norm(s.text));
    if (want.join(' | ') !== have.join(' | ')) {
      console.log(`differs   ${f.name}\n  spec: ${want.join('\n        ')}\n  ours: ${have.join('\n        ')}`);
      problems++;
    }
  }
  console.log(`${spec.length} functions, ${problems} missing or different`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
