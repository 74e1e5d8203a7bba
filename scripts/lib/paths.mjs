import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root. */
export const root = fileURLToPath(new URL('../../', import.meta.url));

/** @param {string} name */
export const specPath = (name) => `${root}specs/${name}/openapi.yaml`;

/** @param {string} name */
export const generatedDir = (name) => `${root}packages/${name}/src/generated/`;

/** @param {string} name */
export const bundledSpecPath = (name) => `${generatedDir(name)}openapi.json`;
