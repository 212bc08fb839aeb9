"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, type ChangeEvent } from "react";
import { Button } from "@/components/ui/button";
import { FormField, SelectField } from "@/components/ui/form-field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { inputClass, mutedText } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/use-form-action";
import { BULK_KINDS, CSV_TOO_LARGE, MAX_CSV_BYTES, MAX_TARGETS, type BulkOperationKind } from "@/lib/bulk/bulk-terms";
import { postBulkForm } from "./post-bulk-form";

type Props = { initialIds: string[]; minDate: string };

const kinds = Object.entries(BULK_KINDS) as [BulkOperationKind, (typeof BULK_KINDS)[BulkOperationKind]][];
const limit = MAX_TARGETS.toLocaleString("en-US");

export function BulkCreateForm({ initialIds, minDate }: Props) {
  const { state, pending, onSubmit } = useFormAction(postBulkForm);
  const router = useRouter();
  const started = state?.ok ? state.data?.id : undefined;
  // The new operation's page follows its progress.
  useEffect(() => {
    if (started) router.push(`/admin/bulk/${started}`);
  }, [started, router]);
  const [kind, setKind] = useState<BulkOperationKind | "">("");
  const [fileError, setFileError] = useState<string>();

  // Checked before sending: past the size limit the server refuses the request without reading it.
  function checkFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.currentTarget.files?.[0];
    setFileError(file && file.size > MAX_CSV_BYTES ? CSV_TOO_LARGE : undefined);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate data-testid="bulk-create-form">
      <div className="grid gap-4 md:grid-cols-2">
        <SelectField
          label="Action"
          name="kind"
          required
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value as BulkOperationKind)}
          error={fieldError(state, "kind")}
        >
          <option value="" disabled>
            Choose an action
          </option>
          {kinds.map(([value, { label }]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        {kind === "EXTEND" && (
          <FormField
            label="New expiry date"
            name="expiresAt"
            id="bulk-expires-at"
            type="date"
            min={minDate}
            hint="Access ends at 00:00 UTC on this day, plus any grace period; an expired entitlement is renewed. A CSV row's expiresAt overrides it."
            error={fieldError(state, "expiresAt")}
          />
        )}
        {kind === "REVOKE" && (
          <FormField label="Reason (optional, kept in the audit log)" name="reason" id="bulk-reason" maxLength={200} error={fieldError(state, "reason")} />
        )}
        {kind === "REPROVISION" && (
          <p className={`self-end text-sm ${mutedText}`}>Each entitlement is provisioned again; the job engine brings its customer in line in AWS.</p>
        )}
      </div>
      <fieldset className="space-y-4">
        <legend className="text-sm font-semibold">Which entitlements: paste their ids, or upload a CSV of customers</legend>
        <div className="flex flex-col gap-1">
          <label htmlFor="bulk-ids" className="text-sm font-medium">
            Entitlement ids
          </label>
          <textarea
            id="bulk-ids"
            name="ids"
            rows={6}
            defaultValue={initialIds.join("\n")}
            aria-describedby="bulk-ids-hint"
            className={`${inputClass} font-mono`}
          />
          <p id="bulk-ids-hint" className={`text-xs ${mutedText}`}>
            One per line (commas or spaces work too), up to {limit}. Selecting rows on the entitlements page fills this in.
          </p>
        </div>
        <FormField
          label="Or a CSV of customers"
          name="csv"
          id="bulk-csv"
          type="file"
          accept=".csv,text/csv"
          onChange={checkFile}
          error={fileError}
          hint={
            <>
              A header line, then one customer per row: <code>email</code>, and optionally <code>product</code> (a product slug, to act on that
              product only){kind === "EXTEND" && <> and <code>expiresAt</code> (YYYY-MM-DD)</>}. Up to {limit} rows and 10 MB. An unknown email fails
              its row only.
            </>
          }
        />
      </fieldset>
      <FormMessage state={state} />
      <Button type="submit" disabled={pending || Boolean(fileError)}>
        {pending ? "Starting…" : "Start bulk action"}
      </Button>
    </form>
  );
}
