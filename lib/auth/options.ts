import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { signInWithLink, signInWithPasskey, signInWithPassword, signInWithSso, type SignedInUser } from "./sign-in";
import { signInContext } from "./sign-in-context";

// next-auth passes the route's headers as a plain object (Object.fromEntries of Next's headers()).
const contextOf = (req: { headers?: Record<string, string> }) => signInContext(new Headers(req.headers));

export const SESSION_HOURS = 12;

export function authOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_HOURS * 3600 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        id: "password",
        name: "Password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        authorize: async (c, req) => (c?.email && c.password ? signInWithPassword(c.email, c.password, contextOf(req)) : null),
      }),
      CredentialsProvider({
        id: "email-link",
        name: "Email link",
        credentials: { token: { type: "text" } },
        authorize: async (c, req) => (c?.token ? signInWithLink(c.token, contextOf(req)) : null),
      }),
      CredentialsProvider({
        // Finishes a single sign-on: the browser's binding cookie names the attempt the callback verified.
        id: "sso",
        name: "Single sign-on",
        credentials: {},
        authorize: async (_c, req) => signInWithSso(req.headers?.cookie, contextOf(req)),
      }),
      CredentialsProvider({
        id: "passkey",
        name: "Passkey",
        credentials: { response: { type: "text" } },
        authorize: async (c, req) => (c?.response ? signInWithPasskey(c.response, contextOf(req)) : null),
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          const u = user as unknown as SignedInUser;
          // sid names this sign-in: a second factor verified for it is recorded under it (VerifiedSession).
          // A passkey sign-in brings its own sid, already recorded as verified.
          Object.assign(token, { uid: u.id, role: u.role, customerId: u.customerId, epoch: u.epoch, sid: u.sid ?? randomBytes(24).toString("base64url") });
        }
        return token;
      },
      // Only ids travel in the session; role and customer are re-read from the database per request.
      session({ session, token }) {
        return { ...session, uid: token.uid, epoch: token.epoch, sid: token.sid };
      },
    },
  };
}
