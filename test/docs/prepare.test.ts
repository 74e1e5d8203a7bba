// How the reference site prepares a spec for Redoc (@msgkit/spec, packages/spec/src/docs.ts): deliveries show their own
// security whether or not the spec already says `security: []`, server descriptions are plain text
// (the overview shows them as Markdown), overview headings never repeat a tag, and every page links
// back to the index.

import { deliverySecurity, INDEX_HREF, plainText, prepareSpec } from '@msgkit/spec';
import { describe, expect, it } from 'vitest';

const body = { content: { 'application/json': { schema: { type: 'object' } } } };
const signature = { name: 'X-Sig-Signature', in: 'header', required: true, schema: { type: 'string' } };

/** A spec whose API needs a bearer token, with one webhook and one callback shaped by `delivery`. */
function spec(delivery: Record<string, unknown>) {
  return {
    openapi: '3.1.0',
    info: { title: 'T', version: '1', description: 'Intro.\n\n## Webhooks\n\nHow to register.' },
    servers: [
      { url: 'https://api.example.com', description: 'Production. See `docs`.', 'x-inferred': true, 'x-inferred-reason': 'No base URL is documented.' },
    ],
    security: [{ bearerAuth: [] }],
    tags: [{ name: 'Messages' }, { name: 'Webhooks' }],
    paths: {
      '/send': {
        post: {
          operationId: 'send',
          tags: ['Messages'],
          responses: { '200': { description: 'ok' } },
          callbacks: {
            report: {
              '{$request.body#/url}': { post: { operationId: 'report', requestBody: body, responses: { '200': { description: 'ok' } }, ...delivery } },
            },
          },
        },
      },
    },
    webhooks: { event: { post: { operationId: 'event', tags: ['Webhooks'], requestBody: body, responses: { '200': { description: 'ok' } }, ...delivery } } },
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer' },
        mtls: { type: 'mutualTLS' },
        sig: { type: 'apiKey', in: 'header', name: 'X-Sig' },
      },
    },
  };
}

describe('deliveries (webhooks and callbacks) show their own security, never the API auth', () => {
  it.each([
    ['no security field, no signature header', { given: {}, want: /^\*\*Security:\*\* Unsigned/ }],
    ['`security: []`, no signature header', { given: { security: [] }, want: /^\*\*Security:\*\* Unsigned/ }],
    [
      '`security: []` and a signature header',
      { given: { security: [], parameters: [signature] }, want: /^\*\*Security:\*\* Signed: the provider sends `X-Sig-Signature`/ },
    ],
    [
      'no security field and a signature header',
      { given: { parameters: [signature] }, want: /^\*\*Security:\*\* Signed: the provider sends `X-Sig-Signature`/ },
    ],
    ['its own scheme', { given: { security: [{ mtls: [] }] }, want: /^\*\*Security:\*\* Secured with `mtls` \(Mutual TLS\)/ }],
    ['its own header scheme', { given: { security: [{ sig: [] }] }, want: /^\*\*Security:\*\* Secured with `sig` \(API key in the header `X-Sig`\)/ }],
  ])('%s', (_, { given, want }) => {
    const prepared = prepareSpec(spec(given));
    const webhook = prepared.webhooks.event.post;
    const callback = prepared.paths['/send'].post.callbacks.report['{$request.body#/url}'].post;
    for (const operation of [webhook, callback]) {
      expect(operation.description).toMatch(want);
      expect(operation.security).not.toContainEqual({ bearerAuth: [] });
      expect(operation.security).toEqual((given as { security?: unknown }).security ?? []);
    }
    // The API operation keeps inheriting the global bearer auth.
    expect(prepared.paths['/send'].post.security).toBeUndefined();
    expect(prepared.security).toEqual([{ bearerAuth: [] }]);
  });

  it('resolves a $ref signature parameter', () => {
    const doc = { ...spec({ parameters: [{ $ref: '#/components/parameters/Sig' }] }) } as any;
    doc.components.parameters = { Sig: signature };
    expect(deliverySecurity(doc, doc.webhooks.event.post)).toMatch(/`X-Sig-Signature`/);
  });
});

describe('the page around the operations', () => {
  const prepared = prepareSpec(spec({ parameters: [signature] }));

  it('links back to the index from the logo and the first line of the overview', () => {
    expect(prepared.info['x-logo'].href).toBe(INDEX_HREF);
    expect(prepared.info.description.split('\n')[0]).toContain(`](${INDEX_HREF})`);
  });

  it('prints server descriptions as plain text and shows them as Markdown in the overview', () => {
    expect(prepared.servers[0].description).toBe("Production. See docs. — Inferred (not in the provider's docs): No base URL is documented.");
    expect(prepared.info.description).toContain('| `https://api.example.com` | Production. See `docs`. **Inferred** — No base URL is documented. |');
  });

  it('renames overview headings that repeat a tag, and names the auth section so it cannot clash', () => {
    const headings = prepared.info.description.split('\n').filter((line: string) => line.startsWith('#'));
    expect(headings).toEqual(['## About webhooks', '## Servers', '## Security schemes', '## Webhooks and callbacks']);
  });

  it('lists each delivery with its security in the overview table', () => {
    expect(prepared.info.description).toContain('| `event` | webhook | the URL you configure | signed (`X-Sig-Signature`) |');
    expect(prepared.info.description).toContain('| `report` | callback `report` of `send` | `{$request.body#/url}` | signed (`X-Sig-Signature`) |');
  });

  it.each([
    ['a blockquote with bold', { given: '> **Inferred** — why', want: 'Inferred — why' }],
    ['code and links', { given: 'See `x` and [the docs](https://example.com).', want: 'See x and the docs (https://example.com).' }],
  ])('plainText: %s', (_, { given, want }) => {
    expect(plainText(given)).toBe(want);
  });
});
