/** Events `plugSDK.onEvent` reports. */
export type PlugEventType =
  | "ON_PLUG_WIDGET_READY"
  | "ON_PLUG_WIDGET_OPENED"
  | "ON_PLUG_WIDGET_CLOSED"
  | "ON_PLUG_WIDGET_UNREAD_COUNT_CHANGE"
  | "ON_CONVERSATION_START"
  | "ON_SEARCH_AGENT_QUERY"
  | "ON_OBSERVABILITY_READY";

export interface PlugEvent {
  type: PlugEventType;
  data?: unknown;
}

/** Keeps session recording continuous across a user switch. */
export interface PlugSessionDetails {
  sessionId: string;
  tabId: string;
}

/** `plugSDK.init` options, as PLuG spells them. */
export interface PlugInitOptions {
  app_id: string;
  /** A session token from your backend: the verified way to identify a user. */
  session_token?: string;
  /** Unverified identification (beta); prefer `session_token`. */
  identity?: { user_ref: string; user_traits?: Record<string, unknown> };
  disable_plug_chat_window?: boolean;
  enable_default_launcher?: boolean;
  custom_launcher_selector?: string;
  widget_alignment?: "left" | "right";
  /** CSS lengths. */
  spacing?: { bottom?: string; side?: string };
  theme?: "light" | "dark";
  accent_color?: string;
  primary_text_color?: string;
  enable_session_recording?: boolean;
  session_recording_key?: string;
  session_recording_options?: { sessionDetails?: PlugSessionDetails; [key: string]: unknown };
}

/** The documented surface of `window.plugSDK`. */
export interface PlugSDK {
  init(options: PlugInitOptions): void;
  shutdown(): Promise<void>;
  readonly isPlugInitialized: boolean;
  onEvent(callback: (event: PlugEvent) => void): void;
  toggleWidget(open?: boolean, view?: string, options?: Record<string, unknown>): void;
  readonly isWidgetOpen: boolean;
  toggleTheme(theme?: "light" | "dark"): void;
  updateIdentity(identity: { user_traits: Record<string, unknown> }): void;
  initSearchAgent(): void;
  toggleSearchAgent(open?: boolean): void;
  readonly isSearchAgentOpen: boolean;
  prefillSearchQuery(query: string): void;
  addSessionProperties(properties: Record<string, unknown>): void;
  getSessionDetails(): PlugSessionDetails;
  trackEvent(name: string, properties?: Record<string, unknown>): void;
  restartSessionRecording(): void;
}

declare global {
  interface Window {
    plugSDK?: PlugSDK;
  }
}

type Camel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

/** PLuG's init options in camelCase, as `initPlug` takes them (`appId`, `widgetAlignment`, ...). */
export type PlugOptions = { [K in keyof PlugInitOptions as Camel<K>]: PlugInitOptions[K] };
