/** Events `plugSDK.onEvent` reports. */
export type PlugEventType =
  | "ON_PLUG_WIDGET_READY"
  | "ON_PLUG_WIDGET_OPENED"
  | "ON_PLUG_WIDGET_CLOSED"
  | "ON_PLUG_WIDGET_UNREAD_COUNT_CHANGE"
  | "ON_CONVERSATION_START"
  | "ON_SEARCH_AGENT_QUERY"
  | "ON_OBSERVABILITY_READY";

/**
 * What `plugSDK.onEvent` passes. DevRev documents `type` alone; any other
 * field (an unread count, say) is the widget's own and undocumented.
 */
export interface PlugEvent {
  type: PlugEventType;
  [field: string]: unknown;
}

/** Keeps session recording continuous across a user switch. */
export interface PlugSessionDetails {
  sessionId: string;
  tabId: string;
}

/** Which inputs the session recording masks; every type DevRev lists. */
export type PlugMaskInputOptions = Partial<
  Record<
    | "color"
    | "date"
    | "datetime-local"
    | "email"
    | "month"
    | "number"
    | "range"
    | "search"
    | "tel"
    | "text"
    | "time"
    | "url"
    | "week"
    | "textarea"
    | "select",
    boolean
  >
>;

/** `session_recording_options`, as DevRev's recording docs list them. */
export interface PlugSessionRecordingOptions {
  /** Continues a recording session (`getSessionDetails()` of the one to continue). */
  sessionDetails?: PlugSessionDetails;
  sessionReplay?: {
    maskAllInputs?: boolean;
    maskInputOptions?: PlugMaskInputOptions;
    /** Mouse moves are not recorded unless this is true. */
    captureMouseMove?: boolean;
    /** Network logs are recorded unless this is false. */
    captureNetworkLogs?: boolean;
    /** Console errors are recorded unless this is false. */
    captureConsoleLogs?: boolean;
  };
  [option: string]: unknown;
}

/** `plugSDK.init` options, as PLuG spells them. */
export interface PlugInitOptions {
  app_id: string;
  /** A session token from your backend: the verified way to identify a user. */
  session_token?: string;
  /**
   * Unverified identification (DevRev's beta), instead of `session_token`.
   * Not secure: any page script can claim any `user_ref`. An unverified user
   * can never be merged into a verified one, and its `user_ref` can never be
   * used for another user.
   */
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
  session_recording_options?: PlugSessionRecordingOptions;
}

/** The documented surface of `window.plugSDK`. */
export interface PlugSDK {
  init(options: PlugInitOptions): void;
  shutdown(): Promise<void>;
  readonly isPlugInitialized: boolean;
  onEvent(callback: (event: PlugEvent) => void): void;
  /** `view` `"create_conversation"` opens a new conversation, prefilled with `startConversationContent`. */
  toggleWidget(
    open?: boolean,
    view?: "create_conversation" | (string & {}),
    options?: { startConversationContent?: string; [option: string]: unknown },
  ): void;
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
