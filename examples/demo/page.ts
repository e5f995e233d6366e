import {
  fetchSessionToken,
  initPlug,
  PlugError,
  type PlugHandle,
  type SessionTokenResponseBody,
} from "devrev-plug-session/browser";

declare const __PLUG__: { appId: string; sdkUrl: string };

const form = document.querySelector<HTMLFormElement>("#sign-in") as HTMLFormElement;
const signOut = document.querySelector<HTMLButtonElement>("#sign-out") as HTMLButtonElement;
const submit = document.querySelector<HTMLButtonElement>("#submit") as HTMLButtonElement;
const status = document.querySelector("#status") as HTMLElement;
let handle: PlugHandle | undefined;
/** The form as it was when the current user signed in, to go back to if a switch fails. */
let signedIn: URLSearchParams | undefined;

/** Fetches the token from our backend, and shows what was sent and what came back. */
async function getSessionToken(): Promise<SessionTokenResponseBody> {
  const answer = await fetchSessionToken();
  const payload = answer.session_token.split(".")[1] ?? "";
  const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
  show("#claims", claims);
  const call = await (await fetch("/demo/last-call")).json();
  show("#request", call ?? "no call: the token came from the backend's cache");
  return answer; // with its expires_at, so initPlug refreshes the token before it expires
}

/** Stores the identity in the backend's cookie; rejects with the library's field list if it is invalid. */
async function signIn(fields: URLSearchParams): Promise<void> {
  const response = await fetch("/demo/sign-in", { method: "POST", body: fields });
  if (!response.ok) throw new PlugError("session_failed", "sign-in refused", response.status, await response.json());
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = new URLSearchParams(new FormData(form) as never);
  try {
    await signIn(fields);
    if (handle) await handle.switchUser(getSessionToken);
    else handle = await initPlug({ appId: __PLUG__.appId, sdk: { src: __PLUG__.sdkUrl }, getSessionToken });
    signedIn = fields;
    setStatus(`Signed in as ${fields.get("user_ref")}.`);
    submit.textContent = "Switch user";
    signOut.disabled = false;
  } catch (error) {
    // The widget still shows the previous user (or nobody): put the backend's session back to match.
    if (signedIn) await signIn(signedIn).catch(() => {});
    else await fetch("/demo/sign-out", { method: "POST" });
    clearPanels();
    setStatus(describe(error), true);
  }
});

signOut.addEventListener("click", async () => {
  await handle?.logout();
  handle = undefined;
  signedIn = undefined;
  await fetch("/demo/sign-out", { method: "POST" });
  clearPanels();
  setStatus("Signed out.");
  submit.textContent = "Sign in";
  signOut.disabled = true;
});

function clearPanels(): void {
  for (const selector of ["#request", "#claims"]) show(selector, "nothing yet");
}

/** A validation failure lists the library's field messages; anything else shows its message. */
function describe(error: unknown): string {
  const issues =
    error instanceof PlugError ? (error.body as { issues?: { path: string; message: string }[] })?.issues : undefined;
  if (issues) return `Invalid input: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`;
  return error instanceof Error ? error.message : String(error);
}

function setStatus(text: string, isError = false): void {
  status.textContent = text;
  status.className = isError ? "error" : "";
}

function show(selector: string, value: unknown): void {
  (document.querySelector(selector) as HTMLElement).textContent =
    typeof value === "string" ? value : JSON.stringify(value, null, 2);
}
