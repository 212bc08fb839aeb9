import type { ReactNode } from "react";

/** The page's single h1, with optional supporting text and actions. */
export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-4">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
        {description && <div className="text-sm text-slate-600 dark:text-slate-300">{description}</div>}
      </div>
      {actions}
    </div>
  );
}
