import { afterEach, vi } from "vitest";

// Integration tests call server actions and routes outside a Next request: the session comes from
// here (set by signInAs), and there is no page cache to revalidate. Loaded for every integration
// file as a setup file; each test starts signed out.

const session = vi.hoisted(() => ({ current: null as { uid: string; epoch: number; sid?: string } | null }));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => session.current,
}));

vi.mock("next/cache", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/cache")>()),
  revalidatePath: () => undefined,
  revalidateTag: () => undefined,
}));

/**
 * Acts as this user (its current session epoch) until the next call; null signs out. `sid` names
 * the sign-in, as the JWT's does: a second factor verified for it counts (VerifiedSession).
 */
export function signInAs(user: { id: string; sessionEpoch: number } | null, { sid }: { sid?: string } = {}) {
  session.current = user && { uid: user.id, epoch: user.sessionEpoch, ...(sid ? { sid } : {}) };
}

afterEach(() => signInAs(null));
