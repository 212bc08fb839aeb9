import "server-only";
import { db } from "@/lib/db";
import type { WorkloadIssuerKind } from "@/lib/generated/prisma/enums";
import { keylessGrant } from "@/lib/provisioning/keyless-grant";
import { WORKLOAD_PRESETS } from "./workload-identity-input";
import type { WorkloadSetupInput, WorkloadSetupKind, WorkloadSetupRegistry } from "./workload-setup";

/** A workload the customer trusts, as its customer sees it. */
export type WorkloadIdentityRow = {
  id: string;
  kind: WorkloadIssuerKind;
  kindLabel: string;
  name: string;
  issuer: string;
  audience: string;
  subject: string;
  createdAt: Date;
};

export type WorkloadIdentitiesView = {
  workloads: WorkloadIdentityRow[];
  /** The customer's workload role; null until Pullgate has made it. */
  roleArn: string | null;
  /** Where the role may pull from now: the registries of the products offering federation. */
  registries: WorkloadSetupRegistry[];
  /** False when no product the customer holds now offers workload federation. */
  offered: boolean;
};

/** What "Where it runs" offers, as plain data a form can take: the presets' labels, issuers, audiences and example subjects. */
export const workloadKindOptions = () =>
  Object.entries(WORKLOAD_PRESETS).map(([kind, preset]) => ({
    kind: kind as WorkloadIssuerKind,
    label: preset.label,
    issuer: preset.issuer,
    audience: preset.audience,
    example: preset.example,
    /** A subject pattern (* ?) is accepted once it names the customer's own organisation. */
    patterns: preset.pinned !== null,
  }));

export type WorkloadKindOption = ReturnType<typeof workloadKindOptions>[number];

/** The customer's trusted workloads, its role and its registries, read for that customer only. */
export async function workloadIdentitiesView(customerId: string, now = new Date()): Promise<WorkloadIdentitiesView> {
  const [customer, workloads, grant] = await Promise.all([
    db.customer.findUnique({ where: { id: customerId }, select: { workloadRoleArn: true } }),
    db.workloadIdentity.findMany({
      where: { customerId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, kind: true, name: true, issuer: true, audience: true, subject: true, createdAt: true },
    }),
    keylessGrant(customerId, "OIDC_FEDERATION", now),
  ]);
  return {
    workloads: workloads.map((w) => ({ ...w, kindLabel: WORKLOAD_PRESETS[w.kind].label })),
    roleArn: customer?.workloadRoleArn ?? null,
    registries: grant?.registries ?? [],
    offered: grant !== null,
  };
}

/** What the set-ups name: the role, the registries, and the audience of the first workload of each kind the customer trusts. */
export function workloadSetupInput({ roleArn, registries, workloads }: WorkloadIdentitiesView): WorkloadSetupInput {
  const audiences: Partial<Record<WorkloadSetupKind, string>> = {};
  for (const kind of ["GITHUB_ACTIONS", "GITLAB_CI", "KUBERNETES"] as const) {
    const first = workloads.find((w) => w.kind === kind);
    if (first) audiences[kind] = first.audience;
  }
  return { roleArn, registries, audiences, registeredKinds: [...new Set(workloads.map((w) => w.kind))] };
}
