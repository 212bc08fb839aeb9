// Dates render the same on server and client: always UTC, never the viewer's locale.

export function formatUtc(date: Date) {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function DateTime({ value, fallback = "—" }: { value: Date | string | null | undefined; fallback?: string }) {
  if (!value) return <span>{fallback}</span>;
  const date = value instanceof Date ? value : new Date(value);
  const iso = date.toISOString();
  return (
    <time dateTime={iso} title={`UTC: ${iso}`} className="whitespace-nowrap">
      {formatUtc(date)}
    </time>
  );
}
