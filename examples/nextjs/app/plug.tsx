// app/plug.tsx
"use client";

import { PlugProvider } from "devrev-plug-session/react";
import type { ReactNode } from "react";

/**
 * PLuG for the whole app. `user` is the signed-in user's id, read by the
 * layout from the verified session, or null: when it changes, PlugProvider
 * fetches a token for the new user from /api/plug/session and switches.
 */
export function Plug(props: { appId: string; sdkUrl?: string; user: string | null; children: ReactNode }) {
  const { appId, sdkUrl, user, children } = props;
  return (
    <PlugProvider appId={appId} user={user} sdk={sdkUrl ? { src: sdkUrl } : undefined}>
      {children}
    </PlugProvider>
  );
}
