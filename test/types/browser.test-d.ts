import { describe, expectTypeOf, it } from "vitest";
import {
  fetchSessionToken,
  type InitPlugOptions,
  type PlugEvent,
  type PlugHandle,
  type PlugSDK,
  type SessionTokenResponseBody,
  type TokenSource,
} from "../../src/browser/index.js";
import { type PlugProviderProps, type PlugState, usePlug } from "../../src/react/index.js";

declare const handle: PlugHandle;
declare const sdk: PlugSDK;

describe("the browser entry's types", () => {
  it("switchUser needs a token source, or null for an anonymous visitor", () => {
    // @ts-expect-error: no argument (plain JavaScript gets a rejection instead)
    void handle.switchUser();
    void handle.switchUser(null);
    void handle.switchUser("token");
    void handle.switchUser({ session_token: "token", expires_at: "2026-12-03T10:00:00Z" });
    void handle.switchUser(fetchSessionToken);
    void handle.switchUser(async () => "token");
    expectTypeOf(fetchSessionToken).returns.resolves.toEqualTypeOf<SessionTokenResponseBody>();
    expectTypeOf<SessionTokenResponseBody>().toMatchTypeOf<TokenSource>();
  });

  it("initPlug's options: the session endpoint, refresh, identity; no sessionToken of another type", () => {
    const options: InitPlugOptions = {
      appId: "app",
      session: { path: "/plug/token", timeoutMs: 5_000 },
      refreshBeforeMs: 60_000,
      getSessionToken: async () => ({ session_token: "t", expires_at: "2026-12-03T10:00:00Z" }),
      identity: { user_ref: "visitor-1", user_traits: { display_name: "Visitor" } },
      sessionRecordingOptions: { sessionReplay: { maskAllInputs: true, maskInputOptions: { email: true } } },
    };
    expectTypeOf(options).toMatchTypeOf<InitPlugOptions>();
    // @ts-expect-error: sessionReplay's options are typed
    const bad: InitPlugOptions = { appId: "app", sessionRecordingOptions: { sessionReplay: { maskAllInputs: "yes" } } };
    void bad;
  });

  it("events carry a typed type; toggleWidget names the create_conversation view", () => {
    expectTypeOf<PlugEvent["type"]>().toEqualTypeOf<
      | "ON_PLUG_WIDGET_READY"
      | "ON_PLUG_WIDGET_OPENED"
      | "ON_PLUG_WIDGET_CLOSED"
      | "ON_PLUG_WIDGET_UNREAD_COUNT_CHANGE"
      | "ON_CONVERSATION_START"
      | "ON_SEARCH_AGENT_QUERY"
      | "ON_OBSERVABILITY_READY"
    >();
    sdk.toggleWidget(true, "create_conversation", { startConversationContent: "Hi" });
    // @ts-expect-error: the prefill is text
    sdk.toggleWidget(true, "create_conversation", { startConversationContent: 1 });
  });
});

describe("the React entry's types", () => {
  it("PlugProvider needs user: a string or null", () => {
    const props: PlugProviderProps = { appId: "app", user: null };
    void props;
    // @ts-expect-error: user is required, so a signed-out state is said out loud
    const missing: PlugProviderProps = { appId: "app" };
    void missing;
    expectTypeOf(usePlug).returns.toEqualTypeOf<PlugState>();
    expectTypeOf<PlugState["status"]>().toEqualTypeOf<"idle" | "loading" | "ready" | "error">();
  });
});
