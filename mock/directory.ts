import type { RevInfo } from "../generated/index.js";
import { revOrgId, revUserDon, type Subject, stableNumber } from "./tokens.js";

/**
 * The most contacts, and the most workspaces, one mock remembers: past it the
 * least recently provisioned is forgotten, so a long-running mock stays small.
 */
export const DIRECTORY_LIMIT = 10_000;

/** Prefix of the account DevRev creates for a workspace sent without one: no account_ref can equal it. */
const OWN_ACCOUNT = "\0own-account:";

/**
 * What `rev_info` requests have provisioned in one mock: contacts, accounts,
 * workspaces and their links, following DevRev's documented rules. A
 * `user_ref` alone makes a contact; `account_ref` creates the account when
 * missing and links the user; `workspace_ref` with it does both for the
 * workspace; `workspace_ref` alone creates the workspace under a new account
 * of its own; a workspace that already belongs to another account is a
 * conflict, so a workspace first sent alone and then with an account is one.
 * `org_ref` is the older name of `workspace_ref` (upstream gives both the
 * same traits), read only when `workspace_ref` is absent.
 * Traits are remembered, so a later request with only `user_ref` still
 * yields a token that names the user, as DevRev's stored contact does.
 */
export class Directory {
  readonly #contacts = new Map<string, Contact>();
  /** Workspace ref -> the account it belongs to. */
  readonly #workspaces = new Map<string, string>();

  /** Provisions what `revInfo` names and returns the user, or says why it conflicts. */
  provision(revInfo: RevInfo): { subject: Subject } | { conflict: string } {
    const { user_ref: userRef, account_ref: accountRef } = revInfo;
    const workspaceRef = revInfo.workspace_ref ?? revInfo.org_ref;
    const owner = workspaceRef === undefined ? undefined : this.#workspaces.get(workspaceRef);
    if (workspaceRef !== undefined && accountRef !== undefined && owner !== undefined && owner !== accountRef) {
      return { conflict: `workspace ${JSON.stringify(workspaceRef)} already belongs to another account` };
    }
    if (workspaceRef !== undefined) {
      // A workspace sent alone gets an account of its own, which no account_ref names.
      remember(this.#workspaces, workspaceRef, owner ?? accountRef ?? `${OWN_ACCOUNT}${workspaceRef}`);
    }

    const known = this.#contacts.get(userRef);
    const traits = revInfo.user_traits ?? {};
    const contact: Contact = {
      workspaceRef: workspaceRef ?? known?.workspaceRef,
      accountRef: accountRef ?? known?.accountRef,
      displayName: traits.display_name ?? known?.displayName,
      email: traits.email ?? known?.email,
    };
    remember(this.#contacts, userRef, contact);

    const revuId = stableNumber("revu", userRef);
    return {
      subject: {
        don: revUserDon(revOrgId(contact.workspaceRef, contact.accountRef), revuId),
        revuid: `REVU-${revuId}`,
        ...(contact.displayName === undefined ? {} : { displayName: contact.displayName }),
        ...(contact.email === undefined ? {} : { email: contact.email }),
      },
    };
  }

  clear(): void {
    this.#contacts.clear();
    this.#workspaces.clear();
  }
}

interface Contact {
  workspaceRef: string | undefined;
  accountRef: string | undefined;
  displayName: string | undefined;
  email: string | undefined;
}

/** Sets `key` as the newest entry, forgetting the oldest past {@link DIRECTORY_LIMIT}. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > DIRECTORY_LIMIT) map.delete(map.keys().next().value as string);
}
