"use client";

import { useEffect, useState } from "react";
import { buttonClass } from "./button";

/** Copies `text`; the outcome is announced through a live region next to the button. */
export function CopyButton({ text, label = "Copy", what }: { text: string; label?: string; what?: string }) {
  const [status, setStatus] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (status === "idle") return;
    const timer = setTimeout(() => setStatus("idle"), 2500);
    return () => clearTimeout(timer);
  }, [status]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus("copied");
    } catch {
      // The clipboard API needs a secure context and permission; say so instead of failing silently.
      setStatus("failed");
    }
  }

  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" onClick={copy} className={buttonClass("secondary", "sm")}>
        {label}
        {what && <span className="sr-only"> {what}</span>}
      </button>
      <span aria-live="polite" className="text-sm font-medium text-emerald-800 dark:text-emerald-300">
        {status === "copied" ? "Copied" : status === "failed" ? "Copy failed: select the text and copy it manually" : ""}
      </span>
    </span>
  );
}
