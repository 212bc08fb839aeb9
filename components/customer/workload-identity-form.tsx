"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField, SelectField } from "@/components/ui/form-field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

/** One choice of "Where it runs", as plain data from the page. */
export type WorkloadKindChoice = {
  kind: string;
  label: string;
  /** The issuer every workload of this kind uses; null when the customer names its own. */
  issuer: string | null;
  /** The audience used when the field is left empty; null when the customer must name one. */
  audience: string | null;
  example: string;
  /** Whether a subject may be a pattern (* ?) that names the customer's own organisation first. */
  patterns: boolean;
};

/** The example subject cut to a pattern that keeps the organisation: repo:bigcorp/deploy:* */
const patternExample = (example: string) => example.replace(/:ref.*/, ":*");

/**
 * Trusts a workload. The fields follow "Where it runs": the issuer only where the customer names
 * it, the audience's default and the subject's shape from the preset.
 */
export function WorkloadIdentityForm({ action, kinds }: { action: FormAction; kinds: WorkloadKindChoice[] }) {
  const { state, pending, onSubmit, formRef } = useFormAction(action, { resetOnSuccess: true });
  const first = kinds[0]!;
  const [kind, setKind] = useState(first.kind);
  const chosen = kinds.find((k) => k.kind === kind) ?? first;
  return (
    <div className="space-y-3">
      <form ref={formRef} onSubmit={onSubmit} onReset={() => setKind(first.kind)} className="grid gap-4 sm:grid-cols-2" noValidate>
        <SelectField
          label="Where it runs"
          name="kind"
          defaultValue={first.kind}
          onChange={(event) => setKind(event.target.value)}
          error={fieldError(state, "kind")}
        >
          {kinds.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </SelectField>
        <FormField
          label="Name"
          name="name"
          required
          autoComplete="off"
          hint="What it is, e.g. “Release pipeline” or “Production cluster”."
          error={fieldError(state, "name")}
        />
        {chosen.issuer === null ? (
          <FormField
            label="Issuer URL"
            name="issuer"
            type="url"
            required
            autoComplete="off"
            placeholder="https://oidc.eks.eu-central-1.amazonaws.com/id/…"
            hint={
              chosen.kind === "KUBERNETES"
                ? "Your cluster's OIDC issuer: an EKS cluster's, or one the vendor allowed."
                : "An https URL the vendor allowed."
            }
            error={fieldError(state, "issuer")}
          />
        ) : (
          <p className="text-sm sm:self-center" data-testid="workload-issuer">
            Issuer: <span className="font-mono text-xs break-all">{chosen.issuer}</span>
          </p>
        )}
        <FormField
          // A new key per kind, so the field shows the chosen preset's default afresh.
          key={`audience-${chosen.kind}`}
          label={chosen.audience ? "Audience (optional)" : "Audience"}
          name="audience"
          required={!chosen.audience}
          autoComplete="off"
          placeholder={chosen.audience ?? undefined}
          hint={chosen.audience ? `Leave empty for ${chosen.audience}, what the set-ups below use.` : "The audience your issuer's tokens are made for."}
          error={fieldError(state, "audience")}
        />
        <div className="sm:col-span-2">
          <FormField
            label="Subject"
            name="subject"
            required
            autoComplete="off"
            spellCheck={false}
            hint={
              <>
                {chosen.example && (
                  <>
                    The subject the workload&apos;s tokens carry, e.g. <code className="font-mono">{chosen.example}</code>.{" "}
                  </>
                )}
                {chosen.patterns
                  ? `A pattern with * or ? must name your own organisation first, e.g. ${patternExample(chosen.example)}.`
                  : "An exact subject: this issuer takes no patterns."}
              </>
            }
            error={fieldError(state, "subject")}
          />
        </div>
        <div className="sm:col-span-2">
          <Button type="submit" disabled={pending} data-testid="register-workload">
            {pending ? "Trusting…" : "Trust workload"}
          </Button>
        </div>
      </form>
      <FormMessage state={state} />
    </div>
  );
}
