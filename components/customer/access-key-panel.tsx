"use client";

import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { CopyButton } from "@/components/ui/copy-button";
import { DateTime } from "@/components/ui/date-time";
import { DownloadButton } from "@/components/ui/download-button";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { credentialsFileEntry, environmentVariables } from "@/lib/customers/credential-files";

type AccessKey = { accessKeyId: string; createdAt: Date; revealedAt: Date | null; secretAvailable: boolean };

type Props = {
  accessKey: AccessKey;
  /** The AWS CLI profile the pull instructions use, and the registry's region when known. */
  profile: string;
  region?: string;
  reveal: FormAction<{ accessKeyId: string; secretAccessKey: string }>;
  rotate: FormAction;
  /** Days the current key keeps working after a rotation; null while an earlier rotation's key still retires. */
  overlapDays: number | null;
};

/** Render with key={accessKeyId}: a new key must start without the previous key's revealed secret. */
export function AccessKeyPanel({ accessKey, profile, region, reveal, rotate, overlapDays }: Props) {
  const { state, pending, onSubmit } = useFormAction(reveal);
  const secret = state?.ok ? state.data?.secretAccessKey : undefined;

  return (
    <div className="space-y-5">
      <dl className="space-y-1">
        <dt className="text-sm font-medium">Access key id</dt>
        <dd className="flex flex-wrap items-center gap-2">
          <code data-testid="access-key-id" className="font-mono text-sm break-all">
            {accessKey.accessKeyId}
          </code>
          <CopyButton text={accessKey.accessKeyId} what="access key id" />
        </dd>
        <dd className="text-sm text-slate-600 dark:text-slate-300">
          Created <DateTime value={accessKey.createdAt} />
        </dd>
      </dl>

      {secret ? (
        <div className="space-y-3 rounded-md border-2 border-amber-500 bg-amber-50 p-4 text-amber-950 dark:bg-amber-950 dark:text-amber-50">
          <p role="alert" className="font-bold">
            This is the only time it is shown — store it now.
          </p>
          <p className="text-sm">
            Put it in your password manager, or save it as the <code>{profile}</code> profile of ~/.aws/credentials (the pull instructions use that
            profile). Pullgate does not keep a copy.
          </p>
          <CodeBlock text={secret} testId="secret-access-key" what="secret access key" />
          <div className="flex flex-wrap gap-2">
            <DownloadButton
              filename={`aws-credentials-${profile}.ini`}
              content={credentialsFileEntry({ profile, accessKeyId: accessKey.accessKeyId, secretAccessKey: secret })}
              label="Download as a credentials-file profile"
              testId="download-credentials-file"
            />
            <DownloadButton
              filename={`aws-env-${profile}.sh`}
              content={environmentVariables({ accessKeyId: accessKey.accessKeyId, secretAccessKey: secret, region })}
              label="Download as environment variables"
              testId="download-environment"
            />
          </div>
        </div>
      ) : accessKey.secretAvailable ? (
        <form onSubmit={onSubmit} className="space-y-2">
          <input type="hidden" name="accessKeyId" value={accessKey.accessKeyId} />
          <p className="text-sm">The secret access key can be shown once. Reveal it when you are ready to store it.</p>
          <Button type="submit" disabled={pending} data-testid="reveal-secret">
            {pending ? "Revealing…" : "Reveal secret access key"}
          </Button>
          <FormMessage state={state} />
        </form>
      ) : (
        <div className="space-y-3">
          <p className="text-sm">
            {accessKey.revealedAt ? (
              <>
                Secret already shown on <DateTime value={accessKey.revealedAt} />.
              </>
            ) : (
              "The secret is no longer available."
            )}{" "}
            If you no longer have it, or it may have leaked, rotate the key.
          </p>
          {overlapDays === null ? (
            <p className="text-sm" data-testid="rotation-blocked">
              To rotate again, first retire your previous key under Key activity.
            </p>
          ) : (
            <ConfirmAction
              action={rotate}
              variant="secondary"
              triggerLabel="Rotate key"
              confirmLabel="Yes, create a second key"
              prompt={`A new key is created now. Your current key keeps working beside it for ${overlapDays} days, or until you retire it, so you can move every machine to the new key first.`}
              triggerTestId="new-key-button"
              confirmTestId="confirm-new-key"
            />
          )}
        </div>
      )}
    </div>
  );
}
