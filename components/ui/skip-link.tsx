/** The first focusable element of a page: keyboard users jump past the header to #main. */
export function SkipLink() {
  return (
    <a href="#main" className="sr-only rounded bg-white px-3 py-2 text-slate-900 focus:not-sr-only focus:absolute focus:top-2 focus:left-2">
      Skip to content
    </a>
  );
}
