// Entry of the scenario for workerd (Cloudflare Workers): POST the input JSON, get the report JSON.
import { run, type ScenarioInput } from './scenario.js';

export default {
  async fetch(request: Request): Promise<Response> {
    return Response.json(await run((await request.json()) as ScenarioInput));
  },
};
