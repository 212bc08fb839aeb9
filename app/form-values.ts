import { AppError } from "@/lib/errors";
import { textProblem } from "@/lib/validation/strict-input";

// Reading untrusted form data and query strings: blanks become undefined so optional schema fields stay optional.

/**
 * A form field's trimmed text. Text nothing could store (a NUL, an unpaired surrogate, more than
 * lib/validation's cap) is refused here as the field's own error, before any use case sees it.
 */
export function text(formData: FormData, name: string): string | undefined {
  const value = formData.get(name);
  if (typeof value !== "string") return undefined;
  const problem = textProblem(value);
  if (problem) throw new AppError("INVALID_INPUT", `This field ${problem}`, [{ path: name, message: `This field ${problem}` }]);
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** A `<input type="date">` value as the start of that day in UTC; anything else passes through for the schema to reject. */
export function utcDate(formData: FormData, name: string): string | undefined {
  const value = text(formData, name);
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value;
}

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export function param(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed.slice(0, 200) : undefined;
}
