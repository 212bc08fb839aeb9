import { CopyButton } from "./copy-button";

/** A command or secret shown verbatim, with a copy button. */
export function CodeBlock({ text, testId, what }: { text: string; testId?: string; what: string }) {
  return (
    <div className="space-y-2">
      <pre
        data-testid={testId}
        // Focusable so keyboard users can scroll long lines; a group (not a landmark) keeps its name.
        tabIndex={0}
        role="group"
        aria-label={what}
        className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-sm leading-relaxed text-slate-50 dark:bg-black"
      >
        <code>{text}</code>
      </pre>
      <CopyButton text={text} what={what} />
    </div>
  );
}
