import { describe, expect, it } from "vitest";
import { followRefs } from "../../scripts/spec-reader/json-pointer.js";

const user = { type: "object", properties: { ref: { type: "string" } } };
const document = {
  components: {
    schemas: {
      User: user,
      Alias: { $ref: "#/components/schemas/User" },
      AliasOfAlias: { $ref: "#/components/schemas/Alias" },
      "a/b~c": { type: "string" },
      Loop: { $ref: "#/components/schemas/Loop" },
      Ping: { $ref: "#/components/schemas/Pong" },
      Pong: { $ref: "#/components/schemas/Ping" },
    },
  },
};

describe("followRefs", () => {
  it.each([
    { given: user, want: user, why: "a node that is not a reference is itself" },
    { given: "text", want: "text", why: "so is a value that is not an object" },
    { given: undefined, want: undefined, why: "and nothing" },
    { given: { $ref: "#/components/schemas/User" }, want: user, why: "one hop" },
    { given: { $ref: "#/components/schemas/AliasOfAlias" }, want: user, why: "a chain, to its end" },
    { given: { $ref: "#/components/schemas/a~1b~0c" }, want: { type: "string" }, why: "escaped tokens" },
    { given: { $ref: "#/components/schemas/Missing" }, want: undefined, why: "a name with nothing there" },
    { given: { $ref: "other.yaml#/User" }, want: undefined, why: "another file" },
    { given: { $ref: "#/components/schemas/Loop" }, want: undefined, why: "a $ref to itself" },
    { given: { $ref: "#/components/schemas/Ping" }, want: undefined, why: "$refs that name each other" },
  ])("$why", ({ given, want }) => {
    expect(followRefs(document, given)).toEqual(want);
  });
});
