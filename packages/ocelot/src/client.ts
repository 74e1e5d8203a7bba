import { basicAuth, CLIENT_OPTION_NAMES, type ClientOptions, checkOptionNames, createProviderClient, MsgkitError, type ProviderClient } from '@msgkit/core';
import type { components, paths } from './generated/schema.js';

/** Options of `createOcelotClient`. */
export interface OcelotClientOptions extends ClientOptions {
  /**
   * The production origin of your Ocelot tenant, e.g. `https://ai.ocelotbot.com` (inferred: Ocelot documents no base URL),
   * or the mock's URL, e.g. `http://127.0.0.1:4011`. Required, and never a path: the operations carry `/api/...`.
   */
  baseUrl: string;
  /** Your Ocelot API username, sent with HTTP basic auth. */
  username: string;
  /** Your Ocelot API password, sent with HTTP basic auth (never reported in errors). */
  password: string;
}

/** A typed Ocelot Texting client: `client.POST('/api/v1/texting/sms', { body })`; list operations page with `paginate` from `@msgkit/ocelot/paginate`. */
export type OcelotClient = ProviderClient<paths>;

/** The error body the spec assumes for 4xx answers; type `ApiError` bodies with it: `ApiError<OcelotErrorBody>`. */
export type OcelotErrorBody = components['schemas']['ErrorBody'];

/** Creates a typed Ocelot Texting client with HTTP basic auth. Non-2xx answers throw `ApiError` subclasses. */
export function createOcelotClient(options: OcelotClientOptions): OcelotClient {
  checkOptionNames(options ?? {}, [...CLIENT_OPTION_NAMES, 'username', 'password'], 'createOcelotClient');
  const { username, password, baseUrl, ...rest } = options ?? ({} as OcelotClientOptions);
  if (typeof baseUrl !== 'string' || baseUrl.trim() === '') {
    throw new MsgkitError(
      'createOcelotClient: baseUrl is required, because Ocelot documents no base URL (your tenant origin, e.g. https://ai.ocelotbot.com, inferred)',
    );
  }
  return createProviderClient<paths>({ ...rest, baseUrl, auth: basicAuth(username, password) });
}
