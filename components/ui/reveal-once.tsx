import type { ReactNode } from "react";
import { CodeBlock } from "./code-block";

/**
 * A secret shown right after it is made and never again: an alert, so a screen reader announces
 * it the moment it appears, with the secret ready to copy.
 */
export function RevealOnce({ heading, secret, what, testId }: { heading: ReactNode; secret: string; what: string; testId?: string }) {
  return (
    <div role="alert" className="space-y-3 rounded-md border border-amber-400 bg-amber-50 p-4 text-amber-950 dark:border-amber-300 dark:bg-amber-950 dark:text-amber-50">
      <p className="font-semibold">{heading}</p>
      <CodeBlock text={secret} what={what} testId={testId} />
    </div>
  );
}
