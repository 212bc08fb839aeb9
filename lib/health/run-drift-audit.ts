import { systemActor, type Actor } from "@/lib/audit/actor";
import { tellOfNewKeys } from "@/lib/notices/new-key-notice";
import { auditDrift, auditDriftIfDue } from "@/lib/provisioning/audit-drift";

type Audit = NonNullable<Awaited<ReturnType<typeof auditDriftIfDue>>>;

async function thenTell(audit: Audit) {
  await tellOfNewKeys(audit.replaced);
  return audit;
}

/** The drift audit an admin runs now, and the customers it gave a new key told so. */
export async function runDriftAudit(actor: Actor = systemActor("drift audit")) {
  return thenTell(await auditDrift(actor));
}

/** The periodic drift audit, when due (see auditDriftIfDue); null when not. */
export async function runDriftAuditIfDue() {
  const audit = await auditDriftIfDue();
  return audit && thenTell(audit);
}
