import { MOCK_PEERS, requirePeers } from "../scripts/spec-reader/peers.js";
import type { MockServer, MockServerOptions } from "./mock-api.js";

/**
 * Starts Prism in this process, serving the spec, the fake PLuG SDK and the
 * test controls under `/__mock/`, and resolves once a request to it has been
 * answered. Prism is an optional peer: without it this rejects with a
 * MissingPeersError naming every package to install.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  requirePeers("devrev-plug-session/mock", MOCK_PEERS);
  return (await import("./server.js")).serveMock(options);
}
