import type { IPrismDiagnostic } from "@stoplight/prism-core";

/** One violation as Prism's `sl-violations` header lists it. */
export interface HeaderViolation {
  location: (string | number)[];
  code?: string | number;
  message: string;
}

/** Prism's diagnostic in the header's form, its location starting with the side. */
export function headerViolation(
  side: "request" | "response",
  { path, code, message }: Pick<IPrismDiagnostic, "path" | "code" | "message">,
): HeaderViolation {
  return { location: [side, ...(path ?? [])], code, message };
}

/** Past this, some clients refuse a header; Node's own limit is 16 KiB for all of them. */
const MAX_VIOLATIONS_HEADER = 8000;

/**
 * Prism's `sl-violations` header: JSON a client can parse, so only whole
 * violations, as many as fit. The mock's own response violations go in first
 * (a test reads them to catch a mock answering outside the spec), then the
 * request's, each list in Prism's order.
 */
export function violationsHeader(request: HeaderViolation[], response: HeaderViolation[]): string {
  let left = MAX_VIOLATIONS_HEADER - 2;
  const fits = (v: HeaderViolation) => {
    const size = JSON.stringify(v).length + 1;
    if (size > left) return false;
    left -= size;
    return true;
  };
  const keptResponse = response.filter(fits);
  const keptRequest = request.filter(fits);
  return JSON.stringify([...keptRequest, ...keptResponse]);
}
