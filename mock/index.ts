// The mock entry (`devrev-plug-session/mock`): Prism serving the spec and the fake PLuG SDK.
export { DEFAULT_SPEC, type MockServer, MockServerError, type MockServerOptions, startMockServer } from "./server.js";
