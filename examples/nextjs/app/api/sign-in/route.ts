import { NextResponse } from "next/server";
import { SESSION_COOKIE, signSession, USERS } from "../../../lib/session";

/** The example's sign-in: `{ user }` names one of USERS. Yours checks a password, a passkey, ... */
export async function POST(request: Request): Promise<Response> {
  const { user } = (await request.json().catch(() => ({}))) as { user?: string };
  if (!user || !USERS[user]) return NextResponse.json({ error: "unknown user" }, { status: 400 });
  const response = NextResponse.json({ user });
  response.cookies.set(SESSION_COOKIE, await signSession(user), { httpOnly: true, sameSite: "lax", path: "/" });
  return response;
}
