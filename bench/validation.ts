import { validateAuthTokensCreateRequest } from "../generated/index.js";
import { interleaved, type Row, ratioRow } from "./stats.js";

/** A request body whose `count` account domains are all bad (`https://` is not a bare domain). */
function badDomains(count: number) {
  const domains = Array.from({ length: count }, (_, i) => `https://bad-${i}.example`);
  return { rev_info: { user_ref: "u", account_ref: "a", account_traits: { domains } } };
}

/**
 * How validation's cost grows with a bad body: the generated request validator
 * on 40,000 bad `account_traits.domains` against 4,000. Linear work gives
 * about 10x; Ajv's own standalone code, which copied every earlier error per
 * bad item, gave about 300x here (30 s for the 40,000).
 */
export async function validationScaling(rounds: number): Promise<Row[]> {
  const time = (count: number) => async () => {
    const body = badDomains(count);
    const started = performance.now();
    validateAuthTokensCreateRequest(body);
    return performance.now() - started;
  };
  // Once each first, so compiling the validators is not in the first round.
  await time(4_000)();
  await time(40_000)();
  const t = await interleaved(rounds, { small: time(4_000), large: time(40_000) });
  return [
    ratioRow(
      "validation",
      "40,000 bad account domains vs 4,000, through the request body's validator",
      "ms",
      t.large,
      "4,000",
      t.small,
      { max: 15 },
    ),
  ];
}
