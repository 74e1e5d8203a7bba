import { describe, expect, it } from 'vitest';
import { pathOperationIds, responseExample } from './specs.js';

/** What one contract case returns: openapi-fetch's result. */
export interface CallResult {
  data?: unknown;
  response: Response;
}

/** Per operation: a call with only the required params, and one with required and optional params. */
export type ContractCases = Record<string, { status: number; required: () => Promise<CallResult>; full: () => Promise<CallResult> }>;

/**
 * Runs the contract table of a provider against its mock: each call must answer the documented
 * status with the spec's example, and the table must cover every operation of the spec.
 */
export function contract(provider: string, cases: ContractCases) {
  describe(`${provider} contract`, () => {
    it('has a contract test for every operation in the spec', () => {
      expect(Object.keys(cases).sort()).toEqual(pathOperationIds(provider).sort());
    });
    for (const [operationId, { status, required, full }] of Object.entries(cases)) {
      for (const [label, call] of [
        ['only required params', required],
        ['required and optional params', full],
      ] as const) {
        it(`${operationId} with ${label}`, async () => {
          const { data, response } = await call();
          expect(response.status).toBe(status);
          const example = responseExample(provider, operationId, String(status));
          if (example !== undefined) expect(data).toEqual(example);
        });
      }
    }
  });
}
