import { crossAccountInstructions } from "./cross-account-instructions";
import type { customerDownloads } from "./customer-downloads";
import { pullInstructions } from "./pull-instructions";

type Downloads = Awaited<ReturnType<typeof customerDownloads>>;

/**
 * The download page's pull instructions: from the customer's own accounts, for every repository it
 * may pull in every registry; with its Pullgate key, for its first usable product's registry
 * (repositories elsewhere still list their own pull lines on their product cards).
 */
export function downloadInstructions(downloads: Downloads) {
  const first = downloads.products.find((p) => p.usable && p.repositories.length > 0);
  const base = first?.repositories[0];
  const profile = first?.productSlug || "pullgate";
  const sameRegistry = (first?.repositories ?? [])
    .filter((r) => r.accountId === base?.accountId && r.region === base?.region)
    .map((r) => ({ accountId: r.accountId, region: r.region, name: r.name, tag: r.tags?.[0]?.tag ?? null }));
  const ownAccount = crossAccountInstructions({ accountIds: downloads.accountIds, repositories: downloads.ownAccountRepositories, partition: downloads.partition });
  const withKey =
    base && downloads.keyAccess
      ? pullInstructions({ accountId: base.accountId, region: base.region, repositories: sameRegistry, accessKeyId: downloads.accessKey?.accessKeyId ?? null, profile })
      : [];
  return { blocks: [...(ownAccount ? [ownAccount] : []), ...withKey], profile, region: base?.region };
}
