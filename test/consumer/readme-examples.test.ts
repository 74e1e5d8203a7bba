// Issue 15 "done when": a consumer project using pnpm, with ONE provider package installed from the
// packed tarballs (core comes in only as that package's dependency, so imports that work only with
// npm's hoisting fail here), compiles every ```ts block of the package's README with tsc and runs it.
// Clients reach the provider's Prism mock through `<P>_BASE_URL`; a block that starts a webhook
// server is run until it listens on PORT, then answers an unsigned, malformed delivery with a 4xx.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAll, publishablePackages, repoRoot } from '../packages/pack.js';
import { mockUrl } from '../setup/specs.js';
import { readmeExamples } from './readme.js';

const require = createRequire(import.meta.url);
const providers = (JSON.parse(readFileSync(join(repoRoot, 'specs/providers.json'), 'utf8')) as { name: string }[]).map((p) => p.name);
const typesNode = JSON.parse(readFileSync(require.resolve('@types/node/package.json'), 'utf8')).version as string;
const typescript = JSON.parse(readFileSync(require.resolve('typescript/package.json'), 'utf8')).version as string;
let tarballs = new Map<string, string>();
const scratch = mkdtempSync(join(tmpdir(), 'msgkit-readme-'));
const running: ChildProcess[] = [];

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

beforeAll(() => {
  tarballs = packAll(publishablePackages().filter((p) => p.name !== '@msgkit/cli'));
}, 180_000);

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  for (const tarball of new Set([...tarballs.values()].map((t) => join(t, '..')))) rmSync(tarball, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs a compiled example: it must exit 0, or, if it starts a server, listen on PORT and refuse a malformed delivery with a 4xx. */
async function runExample(file: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const port = Number(env.PORT);
  const child = spawn(process.execPath, [file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  for (let waited = 0; waited < 60_000; waited += 100) {
    const done = await Promise.race([exited, new Promise<undefined>((resolve) => setTimeout(resolve, 100))]);
    if (done !== undefined) return done === 0 ? 'exited 0' : `exited ${done}:\n${output}`;
    const answer = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }).catch(
      () => undefined,
    );
    if (answer) {
      child.kill('SIGKILL');
      await exited;
      return answer.status >= 400 && answer.status < 500 ? 'listened and refused a malformed delivery' : `listened, answered ${answer.status}:\n${output}`;
    }
  }
  child.kill('SIGKILL');
  return `neither exited nor listened within 60 s:\n${output}`;
}

describe.each(providers.map((p) => [p] as const))('a pnpm project with only @msgkit/%s installed', (provider) => {
  const examples = readmeExamples(provider);
  const project = join(scratch, provider);
  let install = { code: 0, output: '' };
  let compile = { code: 0, output: '' };

  beforeAll(async () => {
    mkdirSync(join(project, 'src'), { recursive: true });
    const file = (name: string) => `file:${tarballs.get(name)}`;
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: `readme-${provider}`,
        private: true,
        type: 'module',
        dependencies: { [`@msgkit/${provider}`]: file(`@msgkit/${provider}`) },
        devDependencies: { '@types/node': typesNode, typescript },
      }),
    );
    // The provider's own dependency on core resolves to the packed core; the project itself does not depend on core.
    writeFileSync(join(project, 'pnpm-workspace.yaml'), `overrides:\n  '@msgkit/core': '${file('@msgkit/core')}'\n`);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], outDir: 'dist', rootDir: 'src' },
        include: ['src'],
      }),
    );
    for (const [i, example] of examples.entries()) writeFileSync(join(project, 'src', `example-${i + 1}.ts`), `${example.code}\nexport {};\n`);
    install = await run('npx', ['-y', 'pnpm@12.4.2', 'install', '--prefer-offline', '--config.confirmModulesPurge=false'], project, {
      ...process.env,
      CI: '1',
    });
    if (install.code === 0) compile = await run(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', project], project);
  }, 300_000);

  it('installs from the tarballs with pnpm, without @msgkit/core as a direct dependency', () => {
    expect(install.output, install.output).not.toMatch(/ERR_PNPM/);
    expect(install.code).toBe(0);
  });

  it('has README examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it('compiles every README example with tsc (strict, NodeNext)', () => {
    const located = compile.output.replace(
      /src\/example-(\d+)\.ts\((\d+),/g,
      (_, n, l) => `README.md:${(examples[Number(n) - 1]?.line ?? 0) + Number(l) - 1} (`,
    );
    expect(located).toBe('');
    expect(compile.code).toBe(0);
  });

  it.each(examples.map((example, i) => [example.line, i] as const))(
    'runs the example at README.md line %i against the mock',
    async (_, i) => {
      const port = await freePort();
      const upper = provider.toUpperCase();
      const env = { ...process.env, PORT: String(port), [`${upper}_BASE_URL`]: mockUrl(provider), ...credentials[provider] };
      expect(await runExample(join(project, 'dist', `example-${i + 1}.js`), project, env)).toMatch(/^(exited 0|listened and refused a malformed delivery)$/);
    },
    90_000,
  );
});

/** The environment the README examples read their credentials from (any value passes the mocks). */
const credentials: Record<string, Record<string, string>> = {
  olly: { OLLY_API_KEY: 'readme-key' },
  ocelot: { OCELOT_USER: 'readme-user', OCELOT_PASSWORD: 'readme-password' },
  messente: { MESSENTE_USER: 'readme-user', MESSENTE_PASSWORD: 'readme-password' },
  amio: { AMIO_ACCESS_TOKEN: 'readme-token', AMIO_WEBHOOK_SECRET: 'readme-secret' },
  volly: { VOLLY_API_KEY: 'readme-key' },
};
