import type { FetchResponse, MaybeOptionalInit, Middleware } from 'openapi-fetch';
import type { CallOptions } from './send.js';

/** The lower-case methods of an OpenAPI path item. */
type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

/** Every media type: a call's `data` is the body of whatever JSON or other type the 2xx response declares. */
type Media = `${string}/${string}`;

/** The paths of `Paths` that have `Method` (openapi-typescript writes `get?: never` where there is none). */
type PathsWith<Paths, Method extends HttpMethod> = {
  [Path in keyof Paths]: Paths[Path] extends { [M in Method]: unknown } ? Path : never;
}[keyof Paths];

/** The keys of `T` that are required. */
type RequiredKeys<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? never : K }[keyof T];

/** The call options openapi-fetch infers for an operation, plus core's per-call options. */
type Init<Paths, Path extends keyof Paths, Method extends HttpMethod> = MaybeOptionalInit<Paths[Path], Method & keyof Paths[Path]>;

/**
 * The call's options as a parameter list: optional when nothing in them is required. Keys that are neither
 * openapi-fetch's, fetch's nor core's (`maxRetires`) are compile errors.
 */
type InitParam<I, Known> =
  RequiredKeys<I> extends never
    ? [init?: I & CallOptions & { [K in Exclude<keyof I, keyof NonNullable<Known> | keyof CallOptions>]: never }]
    : [init: I & CallOptions & { [K in Exclude<keyof I, keyof NonNullable<Known> | keyof CallOptions>]: never }];

/** The 2xx member of openapi-fetch's result union: `data` is the success body. */
type Success<R> = R extends { data: infer Data; error?: never } ? Data : never;

/**
 * What a call resolves to. Non-2xx answers throw an `ApiError` subclass, so a call that returns always
 * has `data`: the 2xx body (`undefined` for an operation whose 2xx has no body), and no `error`.
 */
export type CallResult<Operation, I> = {
  /** The 2xx body, parsed as `parseAs` says (JSON by default). */
  data: [Success<FetchResponse<Operation & Record<string | number, any>, I, Media>>] extends [never]
    ? undefined
    : Success<FetchResponse<Operation & Record<string | number, any>, I, Media>>;
  /** The response, with its body already read. */
  response: Response;
};

/** A method of a provider client: `client.POST(path, { params, body, maxRetries })`. */
type Call<Paths, Method extends HttpMethod> = <Path extends PathsWith<Paths, Method>, I extends Init<Paths, Path, Method>>(
  url: Path,
  ...init: InitParam<I, Init<Paths, Path, Method>>
) => Promise<CallResult<Paths[Path][Method & keyof Paths[Path]], I>>;

/**
 * What a provider client is: an openapi-fetch client typed by the provider's generated `paths`, whose calls
 * resolve to `{ data, response }` with `data` the 2xx body (non-2xx answers throw).
 */
export interface ProviderClient<Paths extends {}> {
  /** Calls any method: `client.request('post', path, init)`. */
  request<Method extends HttpMethod, Path extends PathsWith<Paths, Method>, I extends Init<Paths, Path, Method>>(
    method: Method,
    url: Path,
    ...init: InitParam<I, Init<Paths, Path, Method>>
  ): Promise<CallResult<Paths[Path][Method & keyof Paths[Path]], I>>;
  /** Calls a GET endpoint. */
  GET: Call<Paths, 'get'>;
  /** Calls a PUT endpoint. */
  PUT: Call<Paths, 'put'>;
  /** Calls a POST endpoint. */
  POST: Call<Paths, 'post'>;
  /** Calls a DELETE endpoint. */
  DELETE: Call<Paths, 'delete'>;
  /** Calls an OPTIONS endpoint. */
  OPTIONS: Call<Paths, 'options'>;
  /** Calls a HEAD endpoint. */
  HEAD: Call<Paths, 'head'>;
  /** Calls a PATCH endpoint. */
  PATCH: Call<Paths, 'patch'>;
  /** Calls a TRACE endpoint. */
  TRACE: Call<Paths, 'trace'>;
  /** Registers openapi-fetch middleware. */
  use(...middleware: Middleware[]): void;
  /** Unregisters openapi-fetch middleware. */
  eject(...middleware: Middleware[]): void;
}
