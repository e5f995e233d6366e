import { fetchSessionToken, initPlug, PlugError, type PlugHandle } from "../../src/browser/index.js";

declare const __PLUG__: { appId: string; sdkUrl: string };

const form = document.querySelector<HTMLFormElement>("#sign-in") as HTMLFormElement;
const signOut = document.querySelector<HTMLButtonElement>("#sign-out") as HTMLButtonElement;
const submit = document.querySelector<HTMLButtonElement>("#submit") as HTMLButtonElement;
const status = document.querySelector("#status") as HTMLElement;
let handle: PlugHandle | undefined;

/** Fetches the token from our backend, and shows what was sent and what came back. */
async function getSessionToken(): Promise<string> {
  const token = await fetchSessionToken();
  const payload = token.split(".")[1] ?? "";
  const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
  show("#claims", claims);
  show("#request", await (await fetch("/demo/last-call")).json());
  return token;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  await fetch("/demo/sign-in", { method: "POST", body: new URLSearchParams(new FormData(form) as never) });
  try {
    if (handle) await handle.switchUser(getSessionToken);
    else handle = await initPlug({ appId: __PLUG__.appId, sdk: { src: __PLUG__.sdkUrl }, getSessionToken });
    setStatus(`Signed in as ${form.user_ref.value}.`);
    submit.textContent = "Switch user";
    signOut.disabled = false;
  } catch (error) {
    setStatus(describe(error), true);
  }
});

signOut.addEventListener("click", async () => {
  await handle?.logout();
  handle = undefined;
  await fetch("/demo/sign-out", { method: "POST" });
  setStatus("Signed out.");
  submit.textContent = "Sign in";
  signOut.disabled = true;
});

/** A validation failure lists the library's field messages; anything else shows its message. */
function describe(error: unknown): string {
  const issues =
    error instanceof PlugError ? (error.body as { issues?: { field: string; message: string }[] })?.issues : undefined;
  if (issues) return `Invalid input: ${issues.map((i) => `${i.field} ${i.message}`).join("; ")}`;
  return error instanceof Error ? error.message : String(error);
}

function setStatus(text: string, isError = false): void {
  status.textContent = text;
  status.className = isError ? "error" : "";
}

function show(selector: string, value: unknown): void {
  (document.querySelector(selector) as HTMLElement).textContent = JSON.stringify(value, null, 2);
}
