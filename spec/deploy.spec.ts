/**
 * The Dockerfile and the KServe manifests of docs/deploy.md. Neither is run here (no Docker, no
 * cluster): this checks they are well-formed and that every flag they pass is one `trajan serve
 * --help` lists and every route they probe is one the server registers.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

const repoFile = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const dockerfile = readFileSync(repoFile('Dockerfile'), 'utf8');
const deployDoc = readFileSync(repoFile('docs/deploy.md'), 'utf8');

/** `trajan serve --help`, from the sources. */
const serveHelp = execFileSync(process.execPath, ['--import', 'tsx', repoFile('src/cli/trajan.ts'), 'serve', '--help'], {
  encoding: 'utf8',
});
const HELP_FLAGS = new Set(serveHelp.match(/--[a-z-]+/g));

/** The GET routes the server registers (fastify's `app.get('/path', ...)` in src/serve/). */
const ROUTES = new Set(
  ['kserve.ts', 'server.ts', 'tfserving.ts', 'invocations.ts'].flatMap((f) => {
    const text = readFileSync(repoFile(`src/serve/${f}`), 'utf8');
    return [...text.matchAll(/\.get\(\s*'([^']+)'/g)].map((m) => m[1]!);
  }),
);

/** The Dockerfile's instructions, continuation lines joined. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

const flagsOf = (args: readonly string[]) => args.filter((a) => a.startsWith('--'));

describe('Dockerfile', () => {
  const ins = instructions(dockerfile);
  const last = (op: string) => ins.filter((i) => i.op === op).at(-1);

  it('knows only Dockerfile instructions', () => {
    const KNOWN = ['FROM', 'WORKDIR', 'COPY', 'RUN', 'ENV', 'USER', 'EXPOSE', 'VOLUME', 'HEALTHCHECK', 'ENTRYPOINT', 'CMD', 'ARG', 'LABEL'];
    expect(ins.filter((i) => !KNOWN.includes(i.op))).toEqual([]);
  });

  it('builds in two stages on node:20-slim and runs as a user other than root', () => {
    const froms = ins.filter((i) => i.op === 'FROM').map((i) => i.args);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) expect(f).toMatch(/^node:20-slim\b/);
    expect(ins.some((i) => i.op === 'COPY' && i.args.startsWith('--from=build'))).toBe(true);
    expect(last('USER')?.args).toMatch(/^(node|[1-9]\d*)$/);
  });

  it('serves the mounted /models with flags trajan serve knows', () => {
    const entry = JSON.parse(last('ENTRYPOINT')!.args) as string[];
    expect(entry.slice(0, 3)).toEqual(['trajan', 'serve', '/models']);
    for (const flag of flagsOf(entry)) expect(HELP_FLAGS).toContain(flag);
    expect(ins.some((i) => i.op === 'VOLUME' && i.args.includes('/models'))).toBe(true);
    const port = entry[entry.indexOf('--port') + 1];
    expect(last('EXPOSE')?.args).toBe(port);
  });

  it('checks its health on a route the server answers, on the port it listens on', () => {
    const check = last('HEALTHCHECK')!.args;
    const url = /http:\/\/127\.0\.0\.1:(\d+)(\/[\w/]+)/.exec(check);
    expect(url).not.toBeNull();
    expect(url![1]).toBe(last('EXPOSE')?.args);
    expect(ROUTES).toContain(url![2]);
  });
});

describe('KServe manifests of docs/deploy.md', () => {
  const blocks = [...deployDoc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const docs = blocks
    .flatMap((b) => parseAllDocuments(b))
    .map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS() as Record<string, any>;
    });
  const byKind = (kind: string) => docs.find((d) => d.kind === kind);

  it('has a ServingRuntime speaking v2 with the image, flags and probes of the server', () => {
    const runtime = byKind('ServingRuntime')!;
    expect(runtime.apiVersion).toBe('serving.kserve.io/v1alpha1');
    expect(runtime.spec.protocolVersions).toEqual(['v2']);
    const [container] = runtime.spec.containers;
    expect(container.image).toMatch(/trajan/);
    expect(container.command.slice(0, 3)).toEqual(['trajan', 'serve', '/mnt/models']);
    const args = [...container.command, ...container.args] as string[];
    for (const flag of flagsOf(args)) expect(HELP_FLAGS).toContain(flag);
    const port = Number(args[args.indexOf('--port') + 1]);
    expect(container.ports[0].containerPort).toBe(port);
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(ROUTES).toContain(probe.httpGet.path);
      expect(probe.httpGet.port).toBe(port);
    }
    expect(container.securityContext.runAsNonRoot).toBe(true);
  });

  it('has an InferenceService that uses that runtime with the v2 protocol', () => {
    const runtime = byKind('ServingRuntime')!;
    const isvc = byKind('InferenceService')!;
    expect(isvc.apiVersion).toBe('serving.kserve.io/v1beta1');
    const model = isvc.spec.predictor.model;
    expect(model.runtime).toBe(runtime.metadata.name);
    expect(model.protocolVersion).toBe('v2');
    expect(runtime.spec.supportedModelFormats.map((f: { name: string }) => f.name)).toContain(model.modelFormat.name);
    expect(model.storageUri).toMatch(/^[a-z0-9]+:\/\//);
  });

  it('sends the example request to the v2 route of the InferenceService', () => {
    const isvc = byKind('InferenceService')!;
    expect(deployDoc).toContain(`/v2/models/${isvc.metadata.name}/infer`);
    const kserve = readFileSync(repoFile('src/serve/kserve.ts'), 'utf8');
    expect(kserve).toContain("'/v2/models/:name'");
    expect(kserve).toContain('`${prefix}/infer`');
  });
});
