import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { inputClass } from "./styles";

type Shell = { label: string; name: string; id?: string; error?: string; hint?: ReactNode };

/** The ids that tie a control to its label, hint and error, and the props every control carries. */
function field({ label, name, id, error, hint }: Shell) {
  const fieldId = id ?? `field-${name}`;
  const hintId = hint ? `${fieldId}-hint` : undefined;
  const errorId = error ? `${fieldId}-error` : undefined;
  return {
    shell: { label, fieldId, hint, hintId, error, errorId },
    control: {
      id: fieldId,
      name,
      "aria-invalid": error ? true : undefined,
      "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined,
      className: inputClass,
    },
  };
}

function FieldShell({ label, fieldId, hint, hintId, error, errorId, children }: {
  label: string;
  fieldId: string;
  hint?: ReactNode;
  hintId?: string;
  error?: string;
  errorId?: string;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={fieldId} className="text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && (
        <p id={hintId} className="text-xs text-slate-600 dark:text-slate-300">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-sm font-medium text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled input. Pass `id` when the same field name appears more than once on a page. */
export function FormField({ label, name, id, error, hint, ...input }: Shell & InputHTMLAttributes<HTMLInputElement>) {
  const { shell, control } = field({ label, name, id, error, hint });
  return (
    <FieldShell {...shell}>
      <input {...control} {...input} />
    </FieldShell>
  );
}

export function SelectField({ label, name, id, error, hint, children, ...select }: Shell & SelectHTMLAttributes<HTMLSelectElement>) {
  const { shell, control } = field({ label, name, id, error, hint });
  return (
    <FieldShell {...shell}>
      <select {...control} {...select}>
        {children}
      </select>
    </FieldShell>
  );
}

export function TextAreaField({ label, name, id, error, hint, ...textarea }: Shell & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { shell, control } = field({ label, name, id, error, hint });
  return (
    <FieldShell {...shell}>
      <textarea {...control} {...textarea} />
    </FieldShell>
  );
}
