import { currentUser } from "../lib/session";
import { Account } from "./account";

export default async function Home() {
  const user = await currentUser();
  return (
    <main>
      <h1>Acme</h1>
      <p id="who">{user ? `Signed in as ${user.name}` : "Signed out"}</p>
      <Account />
    </main>
  );
}
