/**
 * What `createSessionTokenHandler` answers on success, and the browser entry
 * reads: both sides of the session endpoint are typed by this one interface.
 */
export interface SessionTokenResponseBody {
  session_token: string;
  /** ISO 8601. With it, `initPlug` fetches a fresh token before this time. */
  expires_at?: string;
  /**
   * The `user_ref` the token identifies, if your endpoint says: `initPlug`
   * then refuses to identify that `user_ref` unverified (`identity`) on the
   * same page, which DevRev could never merge into the verified user.
   */
  user_ref?: string;
}
