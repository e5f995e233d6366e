/**
 * Requests and responses that keep the text they were built with, so that
 * this library's own hops skip reading it back out of the body's stream: a
 * Web body is a stream even when it was made from a string, and reading one
 * costs more than the rest of a cached answer. Everyone else sees an ordinary
 * Request or Response.
 */

/** The Request class our client's openapi-fetch builds requests with; the client sends the text kept. */
export class KeptBodyRequest extends Request {
  readonly #text: string | undefined;

  // openapi-fetch checks what a middleware's onRequest returns against the Request class it was
  // given: any Request will do there, as it would without this class.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Request;
  }

  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(input, init);
    this.#text = typeof init?.body === "string" ? init.body : undefined;
  }

  /** The text `request` was built with, unless it is not one of these or its body has been read since. */
  static textOf(request: Request): string | undefined {
    // Once read, the stream cannot be sent: reading it again fails as it would for any Request.
    return #text in request && !request.bodyUsed ? request.#text : undefined;
  }
}

/** A Response made from text, which the Node adapter writes as it is. */
export class KeptBodyResponse extends Response {
  readonly #text: string;

  constructor(text: string, init: ResponseInit) {
    super(text, init);
    this.#text = text;
  }

  /** The text `response` was made from, unless it is not one of these or its body has been read since. */
  static textOf(response: Response): string | undefined {
    return #text in response && !response.bodyUsed ? response.#text : undefined;
  }
}
