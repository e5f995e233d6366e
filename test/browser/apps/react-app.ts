// The React app the React browser tests drive, as a site would write it: one
// <PlugProvider> under <StrictMode>, whose `user` follows sign-in. The test
// steers it through window.app; the session cookie is what the site's backend
// identifies, set as a sign-in would set it.
import { createElement as h, StrictMode, useState } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { PlugProvider, useOnPlugEvent, usePlug } from "../../../src/react/index.js";

declare global {
  interface Window {
    app: { signIn(user: string | null): void; unmount(): void };
    opened: number;
  }
}

const params = new URLSearchParams(location.search);

function Help() {
  const plug = usePlug();
  useOnPlugEvent("ON_PLUG_WIDGET_OPENED", () => {
    window.opened++;
  });
  return h(
    "div",
    null,
    h("output", { id: "status" }, plug.status),
    h("output", { id: "error" }, plug.error ? `${plug.error.name} ${plug.error.code}: ${plug.error.message}` : ""),
    h("button", { id: "help", type: "button", onClick: plug.open }, "Help"),
  );
}

function App() {
  const [user, setUser] = useState<string | null>(params.get("user"));
  const [mounted, setMounted] = useState(true);
  window.app = {
    // The cookie and the provider's `user` change together, as a click's would: flushSync
    // commits the render and runs its effects before signIn returns, where a plain setUser
    // would leave them to a later task, and a session fetch between would name the new
    // cookie's user to a provider still on the old one.
    signIn(next) {
      document.cookie = next ? `user=${next}` : "user=; max-age=0";
      flushSync(() => setUser(next));
    },
    unmount: () => setMounted(false),
  };
  if (!mounted) return null;
  return h(
    PlugProvider,
    { appId: "test-app", user, sdk: { src: params.get("sdk") ?? "" }, allowAnonymous: params.has("anonymous") },
    h(Help),
  );
}

window.opened = 0;
createRoot(document.getElementById("root") as HTMLElement).render(h(StrictMode, null, h(App)));
