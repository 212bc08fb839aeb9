import Link from "next/link";
import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { DataTable, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { linkClass, mutedText } from "@/components/ui/styles";
import type { FormAction } from "@/components/ui/use-form-action";
import type { DeadLetterRow } from "@/lib/health/engine-view";
import { DeadLetterRetryForm, RetryJobButton } from "./dead-letter-retry";

/** What the job was about, on screen and in the Retry button's name. */
function subject(letter: DeadLetterRow): { cell: ReactNode; name: string } {
  if (letter.customerId) {
    const kind = <span className={`block text-xs ${mutedText}`}>Customer reconcile</span>;
    if (!letter.customer) {
      return {
        cell: (
          <>
            {kind}
            <span className="font-mono text-xs">{letter.customerId}</span> (customer no longer exists)
          </>
        ),
        name: `the reconcile of deleted customer ${letter.customerId}`,
      };
    }
    return {
      cell: (
        <>
          {kind}
          <Link className={linkClass} href={`/admin/customers/${letter.customer.id}`}>
            {letter.customer.name}
          </Link>
        </>
      ),
      name: `the reconcile of customer ${letter.customer.name}`,
    };
  }
  if (letter.repositoryId) {
    const kind = <span className={`block text-xs ${mutedText}`}>Repository policy write</span>;
    const label = letter.repository ? `${letter.repository.name} (${letter.repository.region})` : `${letter.repositoryId} (repository no longer exists)`;
    return {
      cell: (
        <>
          {kind}
          <span className="font-mono text-xs break-all">{label}</span>
        </>
      ),
      name: `the policy write of repository ${letter.repository?.name ?? letter.repositoryId}`,
    };
  }
  return { cell: <span className="font-mono text-xs">Unrecognized job {letter.id}</span>, name: `job ${letter.id}` };
}

/**
 * Provisioning jobs that used up their retries, with the error of their last attempt. With
 * `retry` (writers only) each row gets a Retry button; without it the table is read-only.
 */
export function DeadLetterTable({ letters, total, retry }: { letters: DeadLetterRow[]; total: number; retry?: FormAction }) {
  if (letters.length === 0) {
    return (
      <Card>
        <p className="font-semibold">No failed jobs</p>
        <p className={`text-sm ${mutedText}`}>
          A provisioning job that still fails after all its retries lands here with its AWS error, ready to be retried.
        </p>
      </Card>
    );
  }
  const columns = ["Job", "Error of the last attempt", "Failed", ...(retry ? ["Action"] : [])];
  const table = (
    <>
      {total > letters.length && (
        <p className={`text-sm ${mutedText}`}>
          Showing the newest {letters.length} of {total} failed jobs.
        </p>
      )}
      <DataTable caption="Jobs that used up their retries" columns={columns}>
        {letters.map((letter) => {
          const { cell, name } = subject(letter);
          return (
            <tr key={letter.id}>
              <Td>{cell}</Td>
              <Td className="max-w-xl font-mono text-xs break-words">{letter.error}</Td>
              <Td>
                <DateTime value={letter.failedAt} />
              </Td>
              {retry && (
                <Td>
                  <RetryJobButton id={letter.id} what={name} />
                </Td>
              )}
            </tr>
          );
        })}
      </DataTable>
    </>
  );
  return retry ? <DeadLetterRetryForm action={retry}>{table}</DeadLetterRetryForm> : <div className="space-y-3">{table}</div>;
}
