"use client";

import { createContext, useCallback, useContext, useEffect, useId, useMemo, useState, type ReactNode } from "react";
import { buttonClass } from "@/components/ui/button";

type Selection = {
  formId: string;
  selected: ReadonlySet<string>;
  toggle: (ids: string[], on: boolean) => void;
  show: (id: string) => () => void;
};

const SelectionContext = createContext<Selection | null>(null);

/**
 * Wraps a table whose rows each hold a BulkSelectCheckbox. A bar above the table counts the rows
 * selected on this page and opens the bulk actions page with their ids (/admin/bulk?ids=...).
 */
export function BulkSelection({ children }: { children: ReactNode }) {
  const formId = useId();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [shown, setShown] = useState<string[]>([]);

  const toggle = useCallback((ids: string[], on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  }, []);
  const show = useCallback((id: string) => {
    setShown((current) => [...current, id]);
    return () => setShown((current) => current.filter((x) => x !== id));
  }, []);
  const context = useMemo(() => ({ formId, selected, toggle, show }), [formId, selected, toggle, show]);

  // Only rows on this page are sent with the form, so only they are counted.
  const count = shown.filter((id) => selected.has(id)).length;
  const allShown = shown.length > 0 && count === shown.length;

  return (
    <SelectionContext.Provider value={context}>
      <form id={formId} method="get" action="/admin/bulk" className="flex flex-wrap items-center gap-4 text-sm">
        <label className="inline-flex items-center gap-2 font-medium">
          <input type="checkbox" checked={allShown} disabled={shown.length === 0} onChange={(event) => toggle(shown, event.currentTarget.checked)} />
          Select all on this page
        </label>
        <span role="status" className="tabular-nums">
          {count} selected
        </span>
        <button type="submit" disabled={count === 0} className={buttonClass("secondary", "sm")}>
          Bulk action on selected
        </button>
      </form>
      {children}
    </SelectionContext.Provider>
  );
}

function useSelection() {
  const selection = useContext(SelectionContext);
  if (!selection) throw new Error("BulkSelectCheckbox must be inside a BulkSelection");
  return selection;
}

/** A row's checkbox, inside a BulkSelection; `label` names the row, e.g. "Select Acme: Reporting". */
export function BulkSelectCheckbox({ id, label }: { id: string; label: string }) {
  const { formId, selected, toggle, show } = useSelection();
  useEffect(() => show(id), [id, show]);
  return (
    <input
      type="checkbox"
      name="ids"
      value={id}
      form={formId}
      checked={selected.has(id)}
      onChange={(event) => toggle([id], event.currentTarget.checked)}
      aria-label={label}
    />
  );
}
