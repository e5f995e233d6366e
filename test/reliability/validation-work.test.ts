import { describe, expect, it } from "vitest";
import { validateAuthTokensCreateRequest, validateRevInfo } from "../../generated/index.js";
import { MAX_ISSUES } from "../../generated/validation.js";
import { createDevRevClient, createSessionToken, ValidationError } from "../../src/server/index.js";
import { createdBody, TEST_AAT } from "../helpers/tokens.js";

/**
 * How many array elements `run` appends or copies: each `push`ed item and
 * each element a `concat` copies. The work of collecting errors, counted
 * rather than timed, so the test says the same on any machine and under load.
 */
function elementsAppended(run: () => void): number {
  const { push, concat } = Array.prototype;
  let count = 0;
  Array.prototype.push = function (this: unknown[], ...items: unknown[]) {
    count += items.length;
    return push.apply(this, items);
  };
  Array.prototype.concat = function (this: unknown[], ...items: unknown[]) {
    count += this.length + items.reduce<number>((sum, item) => sum + (Array.isArray(item) ? item.length : 1), 0);
    return concat.apply(this, items);
  } as typeof concat;
  try {
    run();
  } finally {
    Array.prototype.push = push;
    Array.prototype.concat = concat;
  }
  return count;
}

/** A request body whose `count` account domains are all bad (`https://` is not a bare domain). */
const badDomains = (count: number) => ({
  rev_info: {
    user_ref: "u",
    account_ref: "a",
    account_traits: { domains: Array.from({ length: count }, (_, i) => `https://bad-${i}.example`) },
  },
});

/** A rev_info whose `count` phone numbers are all bad (E.164 has no letters). */
const badPhones = (count: number) => ({
  user_ref: "u",
  user_traits: { phone_numbers: Array.from({ length: count }, (_, i) => `phone-${i}`) },
});

describe("validation takes work in proportion to the input", () => {
  it.each([
    [
      "bad account domains, through the request body's validator",
      (n: number) => validateAuthTokensCreateRequest(badDomains(n)),
    ],
    ["bad phone numbers, through RevInfo's validator", (n: number) => validateRevInfo(badPhones(n))],
  ])("%s: twice the items, at most about twice the work", (_name, validate) => {
    const small = elementsAppended(() => validate(2_000));
    const large = elementsAppended(() => validate(4_000));
    expect(small).toBeGreaterThanOrEqual(2_000);
    // Copying every earlier error per bad item, as Ajv's concat did, gives 4x here and n²/2 copies in all.
    expect(large / small).toBeLessThan(2.2);
    expect(large).toBeLessThan(4_000 * 10);
  });

  it("40,000 bad domains: linear work, and at most MAX_ISSUES issues and one saying there are more", () => {
    let result: ReturnType<typeof validateAuthTokensCreateRequest> | undefined;
    const work = elementsAppended(() => {
      result = validateAuthTokensCreateRequest(badDomains(40_000));
    });
    expect(work).toBeLessThan(40_000 * 10);
    expect(result?.valid).toBe(false);
    const issues = result?.valid === false ? result.issues : [];
    expect(issues).toHaveLength(MAX_ISSUES + 1);
    expect(issues[0]).toMatchObject({ path: "rev_info.account_traits.domains[0]", keyword: "pattern" });
    expect(issues.at(-1)).toMatchObject({
      keyword: "maxIssues",
      message: `has more problems than the ${MAX_ISSUES} listed`,
    });
  });

  it("a value with exactly MAX_ISSUES problems lists them all, with no note", () => {
    const result = validateRevInfo(badPhones(MAX_ISSUES));
    expect(result.valid === false && result.issues.map((issue) => issue.keyword)).toEqual(
      Array.from({ length: MAX_ISSUES }, () => "pattern"),
    );
  });

  it("createSessionToken's ValidationError for 100,000 bad phone numbers is bounded, and nothing is sent", async () => {
    let sent = 0;
    const client = createDevRevClient({
      token: TEST_AAT,
      maxRetries: 0,
      fetch: async () => {
        sent++;
        return Response.json(createdBody(), { status: 201 });
      },
    });
    const error = await createSessionToken(client, { revInfo: badPhones(100_000) as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.length).toBeLessThanOrEqual(MAX_ISSUES + 1);
    expect(JSON.stringify(error).length).toBeLessThan(30_000);
    expect(sent).toBe(0);
  });
});
