// ESM consumer: imports every case's package by name from node_modules (the packed tarballs).
import { readFileSync } from 'node:fs';

const cases = JSON.parse(readFileSync(new URL('./cases.json', import.meta.url), 'utf8'));
const results = [];
for (const c of cases) {
  const client = (await import(`@msgkit/${c.provider}`))[c.factory]({ ...c.options, baseUrl: process.env[`MOCK_${c.provider.toUpperCase()}`] });
  const { response } = await client[c.call.method](c.call.path, c.call.init);
  const parse = (await import(`@msgkit/${c.provider}/webhooks`))[c.webhook.parser];
  const event = await parse(c.webhook.rawBody, c.webhook.headers, c.webhook.options);
  results.push({ provider: c.provider, status: response.status, event: Array.isArray(event) ? event[0] : event });
}
console.log(JSON.stringify(results));
