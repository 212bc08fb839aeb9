"use client";

import { signOut } from "next-auth/react";
import { buttonClass } from "./button";

export function SignOutButton() {
  return (
    <button type="button" onClick={() => signOut({ callbackUrl: "/login" })} className={buttonClass("secondary", "sm")}>
      Sign out
    </button>
  );
}
