export { createAnswerRewriter } from './answers.js';
export { type AuthRefusal, type CredentialSources, checkCredentials } from './auth.js';
export { type CallbackOptions, createCallbacks, MOCK_SECRET } from './callbacks.js';
export { buildDocs, type DocsOptions, type DocsPage } from './docs.js';
export { EVENT_ID_FIELDS, eventIds, withFreshIds } from './event-ids.js';
export { type EventInfo, findEvent, listEvents } from './events.js';
export { loadJwtKeys } from './jwt-keys.js';
export {
  createLifecycle,
  type Delivered,
  describeLifecycle,
  type Lifecycle,
  type LifecycleOptions,
  type LifecycleRule,
  lifecycleRules,
  type Registration,
} from './lifecycle.js';
export { DEFAULT_PORT_BASE, type DeliverOptions, type MockOptions, mockPort, PortInUseError, type RunningMock, startMocks, table } from './mock.js';
export { type FoundOperation, findOperation } from './operations.js';
export { applyOverrides, type Override, parseOverride } from './payload.js';
export { accepted, type PostResult, postEvent } from './post.js';
export { type PrismOptions, type PrismServer, startPrism } from './prism.js';
export { findProvider, type Provider, providers, suggest, UsageError } from './providers.js';
export { type Exchange, type ProxyAnswer, type ProxyOptions, type ProxyRequest, type ProxyServer, startProxy } from './proxy.js';
export { type FillOptions, fillPlaceholders, freshLike, isPlaceholder } from './realistic.js';
export { type StaticServer, serveStatic } from './serve.js';
export { checkSigningKeys, type JwtKeys, type SignedEvent, type SigningKeys, type SigningRule, signEvent, signingRules, signingScheme } from './signing.js';
export { hasSpec, loadSpec, specPath } from './specs.js';
export { eventPayload, type TriggerOptions, type TriggerResult, triggerEvent } from './trigger.js';
export { violationMessages, withMessages } from './violations.js';
