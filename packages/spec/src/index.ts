// @msgkit/spec: what every tool reads from a bundled spec. Safe to bundle into the CLI (no build-time dependencies).
export { type Discriminator, findDiscriminator, pinnedValues } from './discriminator.js';
export {
  buildSite,
  deliverySecurity,
  describeOverview,
  INDEX_HREF,
  markInferred,
  offline,
  type Page,
  plainText,
  prepareSpec,
  renderIndex,
  type SiteOptions,
  secureDeliveries,
  summarize,
  uniqueHeadings,
} from './docs.js';
export { type Event, type Group, readEvents } from './events.js';
export { type ProviderEntry, provider, providers } from './providers.js';
export { type Doc, deref, resolveRef } from './ref.js';
export {
  type CallbackOperation,
  callbacksOf,
  isMethod,
  METHODS,
  type Method,
  operationsOf,
  type PathOperation,
  type WebhookOperation,
  webhooksOf,
} from './walk.js';
