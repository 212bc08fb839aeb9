import { z } from "zod";
import { WorkloadIssuerKind } from "@/lib/generated/prisma/enums";
import { strictText } from "@/lib/validation/strict-input";

// What a customer owner may trust. A trust statement that matched other organisations' workloads
// would share the licence with them, so a subject is exact, or a pattern whose fixed start pins
// the customer's own organisation (a GitHub owner, a GitLab group); Kubernetes and other issuers
// take exact subjects only.

/** The issuers Pullgate knows, with the audience their set-up uses and the subject shape they issue. */
export const WORKLOAD_PRESETS = {
  GITHUB_ACTIONS: {
    label: "GitHub Actions",
    issuer: "https://token.actions.githubusercontent.com",
    audience: "sts.amazonaws.com",
    example: "repo:bigcorp/deploy:ref:refs/heads/main",
    // `repo:<owner>/`: a pattern may only vary after the owner.
    pinned: /^repo:[A-Za-z0-9][A-Za-z0-9-]*\//,
  },
  GITLAB_CI: {
    label: "GitLab CI/CD",
    issuer: "https://gitlab.com",
    audience: "sts.amazonaws.com",
    example: "project_path:bigcorp/deploy:ref_type:branch:ref:main",
    pinned: /^project_path:[A-Za-z0-9][A-Za-z0-9_.-]*\//,
  },
  KUBERNETES: {
    label: "Kubernetes service account",
    issuer: null,
    audience: "sts.amazonaws.com",
    example: "system:serviceaccount:pullgate:image-puller",
    pinned: null,
  },
  OTHER: { label: "Another OIDC issuer", issuer: null, audience: null, example: "", pinned: null },
} as const satisfies Record<WorkloadIssuerKind, { label: string; issuer: string | null; audience: string | null; example: string; pinned: RegExp | null }>;

/** An EKS cluster's issuer: the only Kubernetes issuers IAM providers can be made for without the vendor allowing them. */
const EKS_ISSUER = /^https:\/\/oidc\.eks\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com(\.cn)?\/id\/[0-9A-F]{32}$/;

const issuerUrl = z
  .string()
  .max(255)
  .regex(/^https:\/\/[a-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~\/-]*)?$/, "The issuer must be an https URL without query, fragment or credentials")
  .transform((url) => url.replace(/\/$/, ""));

export const workloadIdentityInputSchema = z.object({
  kind: z.string().pipe(z.enum(WorkloadIssuerKind, { error: "Choose where the workload runs" })),
  name: strictText(80).pipe(z.string().min(1, "Name it after the pipeline or cluster, e.g. 'deploy on main'")),
  issuer: strictText(255).optional(),
  audience: strictText(255).optional(),
  subject: strictText(255).pipe(z.string().min(1, "Enter the subject the workload's tokens carry")),
});

export type WorkloadIdentityInput = { kind: WorkloadIssuerKind; name: string; issuer: string; audience: string; subject: string };

const problem = (path: string, message: string) => ({ ok: false as const, path, message });

/**
 * The trusted workload the input names, or the field that is wrong and why. `allowedIssuers` are
 * those the vendor allows beyond the presets (PULLGATE_WORKLOAD_ISSUERS).
 */
export function readWorkloadIdentity(input: z.input<typeof workloadIdentityInputSchema>, allowedIssuers: string[]) {
  const { kind, name, subject, ...rest } = workloadIdentityInputSchema.parse(input);
  const preset = WORKLOAD_PRESETS[kind];
  const given = rest.issuer?.trim() || undefined;
  // A preset's issuer is fixed: another one sent with it is a mistake, not something to ignore.
  if (preset.issuer && given && given.replace(/\/$/, "") !== preset.issuer) return problem("issuer", `${preset.label} tokens come from ${preset.issuer}`);
  const issuerInput = preset.issuer ?? given ?? "";
  const issuer = issuerUrl.safeParse(issuerInput);
  if (!issuer.success) return problem("issuer", issuer.error.issues[0]!.message);
  if (!preset.issuer && !allowedIssuers.includes(issuer.data) && !(kind === "KUBERNETES" && EKS_ISSUER.test(issuer.data))) {
    return problem("issuer", kind === "KUBERNETES" ? "Enter your EKS cluster's OIDC issuer URL, or ask the vendor to allow your cluster's issuer" : "The vendor has not allowed this issuer; ask them to");
  }
  const audience = (rest.audience?.trim() || preset.audience) ?? "";
  if (!/^[\x21-\x7e]{1,255}$/.test(audience)) return problem("audience", "Enter the audience the workload's tokens are issued for");
  // A pattern's start, up to the owner's slash, has no wildcard: nothing before the owner may vary.
  if (/[*?]/.test(subject) && !preset.pinned?.test(subject)) {
    return problem("subject", preset.pinned ? `A pattern must name your own organisation before any * or ?, e.g. ${preset.example.replace(/:ref.*/, ":*")}` : "This issuer takes an exact subject only");
  }
  return { ok: true as const, identity: { kind, name, issuer: issuer.data, audience, subject } satisfies WorkloadIdentityInput };
}
