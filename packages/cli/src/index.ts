export { buildDocs, type DocsOptions, type DocsPage } from './docs.js';
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
export { DEFAULT_PORT_BASE, type DeliverOptions, type MockOptions, mockPort, type RunningMock, startMocks, table } from './mock.js';
export { applyOverrides, type Override, parseOverride } from './payload.js';
export { accepted, type PostResult, postEvent } from './post.js';
export { type PrismOptions, type PrismServer, startPrism } from './prism.js';
export { findProvider, type Provider, providers, suggest, UsageError } from './providers.js';
export { type Exchange, type ProxyOptions, type ProxyServer, startProxy } from './proxy.js';
export { type StaticServer, serveStatic } from './serve.js';
export { checkSigningKeys, type JwtKeys, type SignedEvent, type SigningKeys, type SigningRule, signEvent, signingRules, signingScheme } from './signing.js';
export { hasSpec, loadSpec, specPath } from './specs.js';
export { eventPayload, type TriggerOptions, type TriggerResult, triggerEvent } from './trigger.js';
