// CommonJS consumer: require()s every case's package by name from node_modules (the packed tarballs).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

async function main() {
  const cases = JSON.parse(readFileSync(join(__dirname, 'cases.json'), 'utf8'));
  const results = [];
  for (const c of cases) {
    const client = require(`@msgkit/${c.provider}`)[c.factory]({ ...c.options, baseUrl: process.env[`MOCK_${c.provider.toUpperCase()}`] });
    const { response } = await client[c.call.method](c.call.path, c.call.init);
    const parse = require(`@msgkit/${c.provider}/webhooks`)[c.webhook.parser];
    const event = await parse(c.webhook.rawBody, c.webhook.headers, c.webhook.options);
    results.push({ provider: c.provider, status: response.status, event: Array.isArray(event) ? event[0] : event });
  }
  console.log(JSON.stringify(results));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
