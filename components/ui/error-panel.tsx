"use client";

import { useEffect } from "react";
import { Button } from "./button";

/** Body of an error.tsx boundary; details stay in the server log, not on screen. */
export function ErrorPanel({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="space-y-4">
      <h1 className="text-2xl font-bold">Something went wrong</h1>
      <p>This page could not be loaded. Try again; if it keeps failing, your session may have ended or changed.</p>
      <Button onClick={() => retry()}>Try again</Button>
    </div>
  );
}
