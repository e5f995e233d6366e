import { NextResponse } from "next/server";
import { SESSION_COOKIE } from "../../../lib/session";

export async function POST(): Promise<Response> {
  const response = NextResponse.json({ user: null });
  response.cookies.delete(SESSION_COOKIE);
  return response;
}
