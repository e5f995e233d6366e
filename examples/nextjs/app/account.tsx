"use client";

import { usePlug } from "devrev-plug-session/react";
import { useRouter } from "next/navigation";

/** Sign-in buttons and the widget's state, in the page (the client part of it). */
export function Account() {
  const router = useRouter();
  const plug = usePlug();
  const post = async (path: string, body: object = {}) => {
    await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    // The layout reads the new session and hands PlugProvider the new user, without a reload.
    router.refresh();
  };
  return (
    <div>
      <button id="sign-in-ada" type="button" onClick={() => post("/api/sign-in", { user: "ada" })}>
        Sign in as Ada
      </button>
      <button id="sign-in-grace" type="button" onClick={() => post("/api/sign-in", { user: "grace" })}>
        Sign in as Grace
      </button>
      <button id="sign-out" type="button" onClick={() => post("/api/sign-out")}>
        Sign out
      </button>
      <button id="help" type="button" onClick={plug.open} disabled={plug.status !== "ready"}>
        Help
      </button>
      <p id="plug-status">
        PLuG: {plug.status}
        {plug.error ? ` (${plug.error.message})` : ""}
      </p>
    </div>
  );
}
