import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { mutedText } from "@/components/ui/styles";
import type { RepositoryRow } from "@/lib/products/repository-row";

type PolicySize = RepositoryRow["policySize"];

const barTones: Record<PolicySize["level"], string> = {
  unknown: "fill-slate-400",
  ok: "fill-indigo-600 dark:fill-indigo-400",
  near: "fill-amber-600 dark:fill-amber-400",
  over: "fill-red-700 dark:fill-red-400",
};

/** The size in words; the bar beside it repeats the words for sighted readers and is hidden from assistive technology. */
function PolicySizeCell({ size }: { size: PolicySize }) {
  return (
    <div className="space-y-1">
      <p className={size.level === "near" || size.level === "over" ? "font-semibold" : size.level === "unknown" ? mutedText : ""}>
        {size.text}
      </p>
      {size.percent !== null && (
        <div aria-hidden="true" className="h-1.5 w-32 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700">
          {/* An SVG width attribute, not a style attribute: the Content-Security-Policy allows no inline style. */}
          <svg className="block h-full w-full">
            <rect width={`${size.percent}%`} height="100%" rx="3" className={barTones[size.level]} />
          </svg>
        </div>
      )}
    </div>
  );
}

/**
 * Each repository's grant strategy and why, the size of its policy against ECR's limit, and its
 * last sync. `showProduct` adds the product column where repositories of several products mix.
 */
export function RepositoryTable({ caption, repositories, showProduct = false }: { caption: string; repositories: RepositoryRow[]; showProduct?: boolean }) {
  const columns = ["Repository", ...(showProduct ? ["Product"] : []), "Grant strategy", "Repository policy size", "Last synced", "Sync error"];
  return (
    <DataTable caption={caption} columns={columns}>
      {repositories.length === 0 && <EmptyRow colSpan={columns.length}>No repositories attached.</EmptyRow>}
      {repositories.map((r) => (
        <tr key={r.id}>
          <Td className="font-mono text-xs break-all">{r.uri}</Td>
          {showProduct && <Td>{r.productName ?? "—"}</Td>}
          <Td className="min-w-48">
            <p className="font-medium">{r.strategyLabel}</p>
            {r.strategyReason && <p className={`text-xs ${mutedText}`}>Why: {r.strategyReason}</p>}
            {r.productTag && <p className={`text-xs ${mutedText}`}>{r.productTag}</p>}
          </Td>
          <Td className="min-w-44">
            <PolicySizeCell size={r.policySize} />
          </Td>
          <Td>
            <DateTime value={r.syncedAt} fallback="Never" />
          </Td>
          <Td className="max-w-md break-words">
            {r.syncError ? <span className="font-mono text-xs text-red-800 dark:text-red-200">{r.syncError}</span> : <span className={mutedText}>None</span>}
          </Td>
        </tr>
      ))}
    </DataTable>
  );
}
