import { createDevRevClient, createSessionTokenHandler } from "devrev-plug-session/server";
import { currentUser } from "../../../../lib/session";

// The endpoint PlugProvider asks (POST /api/plug/session). The client is created on the
// first request, so `next build` needs no DEVREV_AAT; DEVREV_BASE_URL points it at the mock.
export const POST = createSessionTokenHandler({
  client: () =>
    createDevRevClient({
      token: process.env.DEVREV_AAT ?? "",
      baseUrl: process.env.DEVREV_BASE_URL || "https://api.devrev.ai",
    }),
  // Whoever the verified session says, never a name the browser sent: this token lets its
  // holder read and write that user's conversations.
  identify: async () => {
    const user = await currentUser();
    return user ? { user_ref: user.id, user_traits: { display_name: user.name, email: user.email } } : null;
  },
});
