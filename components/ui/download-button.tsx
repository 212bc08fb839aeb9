"use client";

import { Button } from "./button";

/** Saves text the page already holds as a file, built in the browser: nothing is fetched again. */
export function DownloadButton({ filename, content, label, testId }: { filename: string; content: string; label: string; testId?: string }) {
  const onClick = () => {
    const url = URL.createObjectURL(new Blob([content], { type: "text/plain;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = filename;
    link.click();
    // Revoked on the next tick: revoking at once can cancel the download in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  return (
    <Button type="button" variant="secondary" onClick={onClick} data-testid={testId}>
      {label}
    </Button>
  );
}
