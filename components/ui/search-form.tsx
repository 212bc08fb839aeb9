import { buttonClass } from "./button";
import { inputClass } from "./styles";

/** A GET form: the query lives in the URL, so results can be linked and reloaded. */
type Props = { label: string; name: string; value?: string; placeholder?: string; submitLabel?: string };

export function SearchForm({ label, name, value, placeholder, submitLabel = "Search" }: Props) {
  const id = `search-${name}`;
  return (
    <form method="get" role="search" className="flex flex-wrap items-end gap-2">
      <div className="flex min-w-64 flex-col gap-1">
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        <input id={id} name={name} type="search" defaultValue={value} placeholder={placeholder} className={inputClass} />
      </div>
      <button type="submit" className={buttonClass("secondary")}>
        {submitLabel}
      </button>
    </form>
  );
}
