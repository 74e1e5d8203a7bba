import { basicAuth, CLIENT_OPTION_NAMES, type ClientOptions, checkOptionNames, createProviderClient, type ProviderClient } from '@msgkit/core';
import type { components, paths } from './generated/schema.js';

/** Messente's production origin (the spec's `servers` entry); every path starts with `/v1`. */
export const MESSENTE_BASE_URL = 'https://api.messente.com';

/** Options of `createMessenteClient`. */
export interface MessenteClientOptions extends ClientOptions {
  /** Your Messente API username (Account → API Settings), sent with HTTP basic auth. */
  username: string;
  /** Your Messente API password (Account → API Settings); it also keys the delivery-report signature. */
  password: string;
  /** The production origin (default `MESSENTE_BASE_URL`), or the mock's URL, e.g. `http://127.0.0.1:4012`: never a path, which the operations carry. */
  baseUrl?: string;
}

/** A typed Messente Omnichannel client: `client.POST('/v1/omnimessage', { body })`. */
export type MessenteClient = ProviderClient<paths>;

/** The error envelope Messente answers 4xx with; type `ApiError` bodies with it: `ApiError<MessenteErrorBody>`. */
export type MessenteErrorBody = components['schemas']['ErrorResponse'];

/** Creates a typed Messente Omnichannel client with HTTP basic auth. Non-2xx answers throw `ApiError` subclasses. */
export function createMessenteClient(options: MessenteClientOptions): MessenteClient {
  checkOptionNames(options ?? {}, [...CLIENT_OPTION_NAMES, 'username', 'password'], 'createMessenteClient');
  const { username, password, baseUrl = MESSENTE_BASE_URL, ...rest } = options ?? ({} as MessenteClientOptions);
  return createProviderClient<paths>({ ...rest, baseUrl, auth: basicAuth(username, password) });
}
