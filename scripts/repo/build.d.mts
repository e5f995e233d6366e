// Types for build.mjs, which stays JavaScript because it runs before anything is compiled.
export function isStale(): Promise<boolean>;
export function buildDist(options?: { declarations?: boolean }): Promise<string>;
