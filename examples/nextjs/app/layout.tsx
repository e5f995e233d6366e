// app/layout.tsx
import type { ReactNode } from "react";
import { currentUser } from "../lib/session";
import { Plug } from "./plug";

export const metadata = { title: "Acme, with PLuG" };

// PLUG_APP_ID and PLUG_SDK_URL are read at request time: one build runs against the mock or DevRev.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body>
        <Plug appId={process.env.PLUG_APP_ID ?? "demo-app"} sdkUrl={process.env.PLUG_SDK_URL} user={user?.id ?? null}>
          {children}
        </Plug>
      </body>
    </html>
  );
}
