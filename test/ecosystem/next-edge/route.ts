// Next.js's edge runtime (`export const runtime = "edge"`): .ci/nextjs-recipe.sh puts this
// route beside the README's recipe, builds both with one `next build`, serves them, and asks
// this one with ../check.mjs. The build fails if the server entry needs a Node module.
import { createDevRevClient, createSessionTokenHandler } from "devrev-plug-session/server";

export const runtime = "edge";

export const POST = createSessionTokenHandler({
  // Any token: the mock accepts every AAT.
  client: () =>
    createDevRevClient({ token: "ecosystem-aat-0123456789abcdef", baseUrl: process.env.ECOSYSTEM_MOCK_URL }),
  identify: (request) => {
    const user = request.headers.get("x-user");
    return user ? { user_ref: user, user_traits: { display_name: `${user} on Next.js edge` } } : null;
  },
});
