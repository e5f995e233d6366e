import module from "node:module";

/**
 * Turns on Node's on-disk module compile cache for this thread, where Node has it (22.1 and
 * later; nothing happens on Node 20, which has no such cache). The generator loads about 20 MB of
 * library code per run (the TypeScript compiler twice, ts-morph, openapi-typescript, Ajv), and
 * V8's compilation of it is then read back instead of redone: about 6% of a cold run on DevRev's
 * spec and on a Stripe-sized one, on Node 22. Only this thread: a worker calls it for itself.
 * The folder is Node's own choice, `NODE_COMPILE_CACHE` or `node-compile-cache` in the OS temp
 * folder, and `NODE_DISABLE_COMPILE_CACHE=1` turns it off; it never fails a run (Node reports a
 * failure to enable it in the value this ignores).
 */
export function enableCompileCache(): void {
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
}
