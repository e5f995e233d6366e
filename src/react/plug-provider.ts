"use client";
// Written with createElement rather than JSX, so the package builds it as it builds the rest.
import { createContext, createElement, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from "react";
import {
  fetchSessionToken,
  type InitPlugOptions,
  initPlug,
  type PlugError,
  type PlugEvent,
  type PlugEventType,
  type PlugHandle,
  type PlugSDK,
} from "../browser/index.js";

export interface PlugProviderProps extends InitPlugOptions {
  /**
   * Who is signed in: any string that changes when the user does (their id),
   * or `null` when nobody is. Another string re-identifies (a fresh token,
   * shutdown, init); `null` shuts the widget down, or with `allowAnonymous`
   * starts it anonymous. The other options are read when the widget starts.
   */
  user: string | null;
  children?: ReactNode;
}

export interface PlugState {
  /** `idle`: not started (signed out, or on the server); `loading`: starting or switching user. */
  status: "idle" | "loading" | "ready" | "error";
  /** What failed, with `status: "error"`. */
  error?: PlugError;
  /** The SDK once the widget has started, for the rest of its surface. */
  sdk?: PlugSDK;
  /** Open, close or toggle the widget; before it is ready they do nothing. */
  open(): void;
  close(): void;
  toggle(): void;
}

type Internal = { status: PlugState["status"]; error?: PlugError; handle?: PlugHandle };

const PlugContext = createContext<Internal | undefined>(undefined);

/**
 * Starts PLuG for `user` with `initPlug`, once, even under `<StrictMode>`,
 * and follows `user` as it changes; unmounting shuts the widget down. Every
 * change waits for the one before, and a change overtaken by a newer one is
 * skipped, so rapid switches end on the last user. Renders nothing of its
 * own, and touches no `window` while rendering, so it is safe on the server.
 */
export function PlugProvider({ user, children, ...options }: PlugProviderProps): ReactNode {
  const [state, setState] = useState<Internal>({ status: "idle" });
  const latest = useRef(options);
  // The wanted user (`undefined`: unmounted), and the chain of steps that get there.
  const plug = useRef({ wanted: undefined as string | null | undefined, mounted: false, steps: Promise.resolve() });
  const handle = useRef<PlugHandle | undefined>(undefined);

  const want = (wanted: string | null | undefined) => {
    const p = plug.current;
    if (p.wanted === wanted) return; // strict mode's second run of the same effect
    p.wanted = wanted;
    p.steps = p.steps.then(async () => {
      if (p.wanted !== wanted) return; // overtaken by a newer user
      const options = latest.current;
      try {
        if (wanted === undefined || (wanted === null && !options.allowAnonymous)) {
          const old = handle.current;
          handle.current = undefined; // dead from here on, even if its shutdown fails
          await old?.logout();
          return setState({ status: "idle" });
        }
        setState({ status: "loading", handle: handle.current });
        if (!handle.current) handle.current = await initPlug(options);
        else
          await handle.current.switchUser(
            wanted === null ? null : (options.getSessionToken ?? (() => fetchSessionToken(options.session))),
          );
        setState({ status: "ready", handle: handle.current });
      } catch (error) {
        // initPlug and the handle reject with PlugErrors only.
        setState({ status: "error", error: error as PlugError, handle: handle.current });
      }
    });
  };

  // The options of the last committed render, for the next step to read (first: effects run in order).
  useEffect(() => {
    latest.current = options;
  });
  useEffect(() => {
    const p = plug.current;
    p.mounted = true;
    return () => {
      p.mounted = false;
      // Strict mode unmounts and mounts again at once: shut down only if no mount follows.
      queueMicrotask(() => p.mounted || want(undefined));
    };
  }, []);
  useEffect(() => want(user), [user]);

  return createElement(PlugContext.Provider, { value: state }, children);
}

/** The widget's state and controls; safe to call before it is ready. Must be inside `<PlugProvider>`. */
export function usePlug(): PlugState {
  const context = useInternal();
  return useMemo(() => {
    const { status, error, handle } = context;
    const toggle = (open?: boolean) => () => handle?.sdk.toggleWidget(open);
    return { status, error, sdk: handle?.sdk, open: toggle(true), close: toggle(false), toggle: toggle() };
  }, [context]);
}

/** Calls `callback` for each PLuG event of `type`, from when the widget starts until the component unmounts. */
export function useOnPlugEvent(type: PlugEventType, callback: (event: PlugEvent) => void): void {
  const { handle } = useInternal();
  const latest = useRef(callback);
  useEffect(() => {
    latest.current = callback;
  });
  useEffect(() => handle?.onEvent(type, (event) => latest.current(event)), [handle, type]);
}

function useInternal(): Internal {
  const context = useContext(PlugContext);
  if (!context) throw new Error("usePlug and useOnPlugEvent need a <PlugProvider> above them");
  return context;
}
