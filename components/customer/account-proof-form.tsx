"use client";

import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { DateTime } from "@/components/ui/date-time";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { inputClass, mutedText } from "@/components/ui/styles";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

type Proof = { command: string; host: string; expiresAt: Date };

/**
 * Proving one unproven account: a fresh nonce on request, then the command that signs it with the
 * account's credentials, and the field its output is pasted into.
 */
export function AccountProofForm({ accountId, proof, start, prove }: { accountId: string; proof: Proof | null; start: FormAction; prove: FormAction }) {
  const { state: startState, pending: starting, onSubmit: onStart } = useFormAction(start);
  const { state: proofState, pending: proving, onSubmit: onProve, formRef } = useFormAction(prove, { resetOnSuccess: true });
  const fieldId = `proof-${accountId}`;
  const error = fieldError(proofState, "proof");
  return (
    <div className="space-y-3" data-testid={`account-proof-${accountId}`}>
      {proof ? (
        <>
          <p className="text-sm">
            With credentials of account <span className="font-mono">{accountId}</span> (any IAM user or role of it), run this before{" "}
            <DateTime value={proof.expiresAt} />. It signs a request to AWS STS at <span className="font-mono">{proof.host}</span> and prints it
            to proof.json without sending it or printing any secret; it needs Python 3 with botocore.
          </p>
          <CodeBlock text={proof.command} what="The command that signs the proof" testId={`proof-command-${accountId}`} />
          <form ref={formRef} onSubmit={onProve} className="space-y-2" noValidate>
            <label htmlFor={fieldId} className="text-sm font-medium">
              Contents of proof.json
            </label>
            <textarea
              id={fieldId}
              name="proof"
              rows={4}
              required
              spellCheck={false}
              aria-invalid={error ? true : undefined}
              className={`${inputClass} w-full font-mono text-xs`}
              data-testid={`proof-input-${accountId}`}
            />
            <Button type="submit" disabled={proving} data-testid={`prove-account-${accountId}`}>
              {proving ? "Checking with AWS…" : "Prove account"}
            </Button>
          </form>
          <FormMessage state={proofState} />
        </>
      ) : (
        <p className={`text-sm ${mutedText}`}>Until you prove it, this account is granted nothing new and its pulls are not shown as yours.</p>
      )}
      <form onSubmit={onStart}>
        <Button type="submit" variant={proof ? "secondary" : "primary"} disabled={starting} data-testid={`start-proof-${accountId}`}>
          {proof ? "New nonce" : "Prove it is ours"}
        </Button>
      </form>
      <FormMessage state={startState} />
    </div>
  );
}
