// The mock entry (`devrev-plug-session/mock`): Prism serving the spec, the fake PLuG SDK and the test controls.

export { MissingPeersError } from "../scripts/spec-reader/peers.js";
export type { RecordedExchange, RecordedMessage } from "./exchange.js";
export type { JournalEntry, Violation } from "./journal.js";
export { DEFAULT_SPEC, type MockServer, MockServerError, type MockServerOptions } from "./mock-api.js";
export { startMockServer } from "./mock-server.js";
export type { Scenario } from "./scenarios.js";
