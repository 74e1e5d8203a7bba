// @msgkit/spec/generate: the generator's pieces, run in a clone of the repository (scripts/generate.mjs, scripts/build-docs.mjs).
export { bundleSpec } from './bundle.js';
export { bundledSpecPath, generatedDir, repoRoot, specPath } from './paths.js';
export { generateTypes } from './types.js';
export { type CleanMode, clean, compileValidators, identifier, type ValidatorGroup } from './validators.js';
