// Module resolve hook for the client bench: a module imported with `?edge` at the end of its URL (and the relative
// modules it imports) gets `@msgkit/core` through the "browser" condition, so it runs core's edge entry, the one
// browsers, workers, Bun and Deno resolve, instead of the "node" entry Node itself picks.
export async function resolve(specifier, context, next) {
  if (!context.parentURL?.endsWith('?edge')) return next(specifier, context);
  if (specifier === '@msgkit/core' || specifier.startsWith('@msgkit/core/')) {
    return next(specifier, { ...context, conditions: ['browser', ...context.conditions.filter((condition) => condition !== 'node')] });
  }
  const resolved = await next(specifier, context);
  return specifier.startsWith('.') ? { ...resolved, url: `${resolved.url}?edge` } : resolved;
}
