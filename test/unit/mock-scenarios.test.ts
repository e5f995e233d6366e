import { describe, expect, it } from "vitest";
import { SCENARIO_LIMIT, Scenarios } from "../../mock/scenarios.js";

describe("a mock's scenarios", () => {
  it("are taken in the order queued, each for its count, and one without times until cleared", () => {
    const scenarios = new Scenarios();
    scenarios.add({ status: 429, times: 1 });
    scenarios.add({ status: 503, times: 2 });
    scenarios.add({ status: 500 });
    const taken = Array.from({ length: 6 }, () => scenarios.take()?.status);
    expect(taken).toEqual([429, 503, 503, 500, 500, 500]);
    scenarios.clear();
    expect(scenarios.take()).toBeUndefined();
  });

  it(`queue at most ${SCENARIO_LIMIT}`, () => {
    const scenarios = new Scenarios();
    for (let i = 0; i < SCENARIO_LIMIT; i++) expect(scenarios.add({ status: 503, times: 1 })).toBe(true);
    expect(scenarios.add({ status: 503, times: 1 })).toBe(false);
  });

  it("remember the scenario each request was given, per mock, through a reset", () => {
    const one = new Scenarios();
    const other = new Scenarios();
    const request = {};
    const scenario = { status: 429, retryAfter: 1 };
    one.give(request, scenario);
    expect(one.givenTo(request)).toBe(scenario);
    expect(one.givenTo({})).toBeUndefined();
    expect(other.givenTo(request)).toBeUndefined();
    one.clear();
    expect(one.givenTo(request)).toBe(scenario);
  });
});
