import { CopyButton } from "@/components/ui/copy-button";
import { DateTime } from "@/components/ui/date-time";
import type { ImageTag } from "@/lib/customers/customer-downloads";

const VISIBLE = 5;
const UNITS = ["kB", "MB", "GB", "TB"];

/** Decimal units, as registries and Docker report image sizes: 123456789 → "123.5 MB". */
export function formatSize(bytes: number) {
  if (bytes < 1000) return `${bytes} B`;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.95 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

function TagRow({ uri, tag }: { uri: string; tag: ImageTag }) {
  const command = `docker pull ${uri}:${tag.tag}`;
  return (
    <li className="space-y-1 py-2">
      <div className="flex flex-wrap items-baseline gap-x-3 text-sm">
        <span className="font-semibold">{tag.tag}</span>
        {tag.pushedAt && (
          <span className="text-slate-600 dark:text-slate-300">
            pushed <DateTime value={tag.pushedAt} />
          </span>
        )}
        {tag.sizeBytes !== null && <span className="text-slate-600 dark:text-slate-300">{formatSize(tag.sizeBytes)}</span>}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <code className="rounded bg-slate-100 px-2 py-1 font-mono text-xs break-all text-slate-900 dark:bg-slate-800 dark:text-slate-100">
          {command}
        </code>
        <CopyButton text={command} what={`pull command for ${tag.tag}`} />
      </div>
    </li>
  );
}

/** Tags arrive newest first; older ones fold away so the list stays scannable. */
export function TagList({ uri, tags }: { uri: string; tags: ImageTag[] | null }) {
  if (tags === null) return <p className="text-sm">The list of images could not be loaded right now. Reload the page in a minute.</p>;
  if (tags.length === 0) return <p className="text-sm">No images have been published here yet.</p>;
  const older = tags.slice(VISIBLE);
  return (
    <div>
      <ul className="divide-y divide-slate-200 dark:divide-slate-700">
        {tags.slice(0, VISIBLE).map((t) => (
          <TagRow key={t.tag} uri={uri} tag={t} />
        ))}
      </ul>
      {older.length > 0 && (
        <details className="mt-2">
          <summary className="cursor-pointer text-sm font-medium">Show {older.length} older tags</summary>
          <ul className="divide-y divide-slate-200 dark:divide-slate-700">
            {older.map((t) => (
              <TagRow key={t.tag} uri={uri} tag={t} />
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
