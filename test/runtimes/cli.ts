// Entry of the scenario for runtimes that run a file (Node, Bun, Deno): the input JSON is the first
// argument, the report JSON goes to stdout.
import { run, type ScenarioInput } from './scenario.js';

const runtime = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
const [input] = runtime.Deno?.args ?? runtime.process?.argv.slice(2) ?? [];
console.log(JSON.stringify(await run(JSON.parse(input ?? '{}') as ScenarioInput)));
