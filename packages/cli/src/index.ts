export { DEFAULT_PORT_BASE, type MockOptions, mockPort, type RunningMock, startMocks, table } from './mock.js';
export { type PrismOptions, type PrismServer, startPrism } from './prism.js';
export { findProvider, type Provider, providers, suggest, UsageError } from './providers.js';
export { type StaticServer, serveStatic } from './serve.js';
export { hasSpec, loadSpec, specPath } from './specs.js';
