/*
 * A fake PLuG web SDK for offline development and tests. It defines
 * window.plugSDK with the documented surface and behaves as the real SDK does
 * where a page can tell: a second init() before shutdown() only warns, the
 * session recording continues with the sessionDetails init is given,
 * ON_PLUG_WIDGET_READY and ON_OBSERVABILITY_READY fire after init, and
 * enable_default_launcher: false hides the launcher. Event payloads carry
 * `type`, the one field DevRev documents. It shows a launcher naming the user
 * the session token identifies, records every call in window.plugSDK.__calls,
 * and lets a test fire any documented event with
 * window.plugSDK.__emit(type, fields). It talks to no server. Kept ASCII-only:
 * Prism serves it without a charset.
 */
(() => {
  if (window.plugSDK) return;

  const EVENTS = [
    "ON_PLUG_WIDGET_READY",
    "ON_PLUG_WIDGET_OPENED",
    "ON_PLUG_WIDGET_CLOSED",
    "ON_PLUG_WIDGET_UNREAD_COUNT_CHANGE",
    "ON_CONVERSATION_START",
    "ON_SEARCH_AGENT_QUERY",
    "ON_OBSERVABILITY_READY",
  ];
  const CLAIM = "http://devrev.ai/";
  const calls = [];
  const listeners = [];
  let session = { sessionId: `mock-session-${Math.random().toString(36).slice(2, 10)}`, tabId: "mock-tab-1" };
  let state = { initialized: false, widgetOpen: false, searchAgentOpen: false, theme: "light", user: null };
  let launcher = null;

  const record = (method, args) => calls.push({ method, args: JSON.parse(JSON.stringify(Array.from(args))) });
  // DevRev documents `type` alone in a payload; a test may add fields the real widget might send.
  const emit = (type, fields) => {
    for (const listener of listeners.slice()) {
      try {
        listener({ ...fields, type });
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
      // Read as the real widget reads DevRev's session tokens: a DON subject and DevRev's claims.
      const claims = claimsOf(options.session_token) || {};
      return {
        userRef: claims.sub || "unknown",
        name: claims[`${CLAIM}displayname`] || claims[`${CLAIM}email`] || claims[`${CLAIM}revuid`] || "unknown",
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
    launcher.hidden = state.options.enable_default_launcher === false;
  }

  /** A custom launcher opens the widget the way the default one does. */
  function bindCustomLaunchers(selector) {
    if (typeof selector !== "string" || selector === "") return;
    for (const element of document.querySelectorAll(selector)) {
      element.addEventListener("click", () => state.initialized && sdk.toggleWidget());
    }
  }

  const sdk = {
    __calls: calls,
    /** Test hook: deliver a documented event (with any extra payload fields) to every onEvent listener. */
    __emit(type, fields) {
      if (!EVENTS.includes(type)) throw new Error(`plugSDK.__emit: unknown event ${type}; known: ${EVENTS.join(", ")}`);
      emit(type, fields);
    },
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
        console.warn("[plug mock] plugSDK.init() was already called on this page; call plugSDK.shutdown() first");
        return;
      }
      if (!options || typeof options.app_id !== "string" || options.app_id === "") {
        // DevRev's docs call app_id required without saying what init does without it: the fake
        // invents no exception; it logs, as for a second init, and the widget never becomes ready.
        console.error("[plug mock] plugSDK.init() needs app_id");
        return;
      }
      const details = options.session_recording_options && options.session_recording_options.sessionDetails;
      if (details && typeof details.sessionId === "string" && typeof details.tabId === "string") {
        session = { sessionId: details.sessionId, tabId: details.tabId };
      }
      state = { ...state, initialized: true, options, theme: options.theme || "light", user: identify(options) };
      render();
      bindCustomLaunchers(options.custom_launcher_selector);
      setTimeout(() => {
        if (!state.initialized) return;
        emit("ON_PLUG_WIDGET_READY");
        // DevRev's own recording example waits for this without enable_session_recording: recording is
        // switched on in DevRev's settings, so the fake reports it after every init.
        emit("ON_OBSERVABILITY_READY");
      }, 0);
    },
    async shutdown() {
      record("shutdown", arguments);
      state = { ...state, initialized: false, widgetOpen: false, searchAgentOpen: false, user: null };
      // A new init starts a new recording session unless it passes the old one's sessionDetails.
      session = { sessionId: `mock-session-${Math.random().toString(36).slice(2, 10)}`, tabId: session.tabId };
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
      emit(state.widgetOpen ? "ON_PLUG_WIDGET_OPENED" : "ON_PLUG_WIDGET_CLOSED");
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
