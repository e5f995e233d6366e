/**
 * `npm run test:thorough` (run by CI after `npm test`) sets THOROUGH=1: the
 * property tests draw their full number of values, and the suites too slow
 * for every `npm test` run. `npm test` keeps to what a change needs checked
 * within two minutes on two cores.
 */
export const THOROUGH = process.env.THOROUGH === "1";

/** How many values a property test draws: `quick` in `npm test`, `thorough` in `npm run test:thorough`. */
export function propertyRuns(quick: number, thorough: number): number {
  return THOROUGH ? thorough : quick;
}
