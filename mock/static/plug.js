/*
 * A fake PLuG web SDK for offline development and tests. It defines
 * window.plugSDK with the documented surface, refuses a second init() until
 * shutdown() like the real SDK, fires ON_PLUG_WIDGET_READY, records every call
 * in window.plugSDK.__calls, and shows a launcher naming the user the session
 * token identifies. It talks to no server. Kept ASCII-only: Prism serves it
 * without a charset.
 */
(() => {
  if (window.plugSDK) return;

  const calls = [];
  const listeners = [];
  const session = { sessionId: `mock-session-${Math.random().toString(36).slice(2, 10)}`, tabId: "mock-tab-1" };
  let state = { initialized: false, widgetOpen: false, searchAgentOpen: false, theme: "light", user: null };
  let launcher = null;

  const record = (method, args) => calls.push({ method, args: JSON.parse(JSON.stringify(Array.from(args))) });
  const emit = (type, data) => {
    for (const listener of listeners.slice()) {
      try {
        listener({ type, data });
      } catch (error) {
        console.error("[plug mock] onEvent listener threw", error);
      }
    }
  };

  function claimsOf(token) {
    try {
      const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      const json = decodeURIComponent(
        Array.from(atob(payload), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join(""),
      );
      return JSON.parse(json);
    } catch {
      return null;
    }
  }

  function identify(options) {
    if (options.session_token) {
      const claims = claimsOf(options.session_token) || {};
      return {
        userRef: claims.user_ref || claims.sub || "unknown",
        name: claims.display_name || claims.user_ref || claims.sub || "unknown",
        verified: true,
      };
    }
    if (options.identity && options.identity.user_ref) {
      const traits = options.identity.user_traits || {};
      return {
        userRef: options.identity.user_ref,
        name: traits.display_name || options.identity.user_ref,
        verified: false,
      };
    }
    return null;
  }

  function render() {
    if (!launcher) {
      launcher = document.createElement("button");
      launcher.id = "plug-launcher";
      launcher.type = "button";
      launcher.addEventListener("click", () => sdk.toggleWidget());
      document.body.appendChild(launcher);
    }
    const user = state.user;
    launcher.textContent = user ? `Support \u00b7 ${user.name}` : "Support \u00b7 anonymous";
    launcher.dataset.user = user ? user.userRef : "anonymous";
    launcher.dataset.verified = String(Boolean(user && user.verified));
    launcher.dataset.open = String(state.widgetOpen);
    launcher.dataset.theme = state.theme;
    const align = state.options.widget_alignment === "left" ? "left" : "right";
    const spacing = state.options.spacing || {};
    launcher.style.cssText = [
      "position:fixed",
      `bottom:${spacing.bottom || "20px"}`,
      `${align}:${spacing.side || "20px"}`,
      "padding:10px 16px",
      "border:0",
      "border-radius:20px",
      "font:14px system-ui,sans-serif",
      `background:${state.options.accent_color || "#3b5bdb"}`,
      `color:${state.options.primary_text_color || "#fff"}`,
      "cursor:pointer",
      "z-index:2147483647",
    ].join(";");
    launcher.hidden = state.options.enable_default_launcher === false && !state.options.custom_launcher_selector;
  }

  const sdk = {
    __calls: calls,
    get isPlugInitialized() {
      return state.initialized;
    },
    get isWidgetOpen() {
      return state.widgetOpen;
    },
    get isSearchAgentOpen() {
      return state.searchAgentOpen;
    },
    init(options) {
      record("init", arguments);
      if (state.initialized) {
        throw new Error(
          "plugSDK.init() was already called on this page; call plugSDK.shutdown() before initialising again",
        );
      }
      if (!options || typeof options.app_id !== "string" || options.app_id === "") {
        throw new Error("plugSDK.init() needs app_id");
      }
      state = { ...state, initialized: true, options, theme: options.theme || "light", user: identify(options) };
      render();
      setTimeout(() => {
        if (state.initialized) emit("ON_PLUG_WIDGET_READY");
      }, 0);
    },
    async shutdown() {
      record("shutdown", arguments);
      state = { ...state, initialized: false, widgetOpen: false, searchAgentOpen: false, user: null };
      if (launcher) launcher.remove();
      launcher = null;
    },
    onEvent(callback) {
      record("onEvent", []);
      if (typeof callback === "function") listeners.push(callback);
    },
    toggleWidget(open, view, opts) {
      record("toggleWidget", arguments);
      state.widgetOpen = typeof open === "boolean" ? open : !state.widgetOpen;
      if (launcher) render();
      emit(state.widgetOpen ? "ON_PLUG_WIDGET_OPENED" : "ON_PLUG_WIDGET_CLOSED", { view, opts });
    },
    toggleTheme(theme) {
      record("toggleTheme", arguments);
      state.theme = theme || (state.theme === "dark" ? "light" : "dark");
      if (launcher) render();
    },
    updateIdentity(identity) {
      record("updateIdentity", arguments);
      const traits = (identity && identity.user_traits) || {};
      if (state.user && traits.display_name) state.user = { ...state.user, name: traits.display_name };
      if (launcher) render();
    },
    initSearchAgent() {
      record("initSearchAgent", arguments);
    },
    toggleSearchAgent(open) {
      record("toggleSearchAgent", arguments);
      state.searchAgentOpen = typeof open === "boolean" ? open : !state.searchAgentOpen;
      if (state.searchAgentOpen) emit("ON_SEARCH_AGENT_QUERY");
    },
    prefillSearchQuery(query) {
      record("prefillSearchQuery", arguments);
    },
    addSessionProperties(properties) {
      record("addSessionProperties", arguments);
    },
    getSessionDetails() {
      record("getSessionDetails", arguments);
      return { ...session };
    },
    trackEvent(name, properties) {
      record("trackEvent", arguments);
    },
    restartSessionRecording() {
      record("restartSessionRecording", arguments);
    },
  };

  window.plugSDK = sdk;
})();
