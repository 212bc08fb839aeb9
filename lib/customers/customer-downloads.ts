import { listImageTags, repositoryUri, type ImageTag } from "@/lib/aws/ecr";
import { portalAccount } from "@/lib/aws/sts";
import { memoFor } from "@/lib/cache/memo-for";
import { db } from "@/lib/db";
import { entitledRepositories } from "./own-account-repositories";
import { accessEndsAt, displayState, grantsAccess, type DisplayState } from "@/lib/lifecycle/entitlement-lifecycle";
import { daysUntil } from "@/lib/time/days";

export type { ImageTag };

const TAG_CACHE_MS = 60_000;

export type DownloadRepository = {
  id: string;
  name: string;
  region: string;
  accountId: string;
  uri: string;
  /** Newest first; null when the list could not be read from the registry just now. */
  tags: ImageTag[] | null;
};

/** One entitlement on the download page: its product, where it stands, and what can be pulled. */
export type DownloadProduct = {
  entitlementId: string;
  productName: string;
  productSlug: string;
  state: DisplayState;
  trial: boolean;
  autoRenews: boolean;
  /** Access is granted and AWS has caught up: the repositories can be pulled now. */
  usable: boolean;
  startsAt: Date;
  expiresAt: Date;
  gracePeriodDays: number;
  renewalUrl: string | null;
  /** Whole days until pulls stop (the grace period included); negative once they have. */
  daysLeft: number;
  repositories: DownloadRepository[];
};

/** Tags change rarely and every customer of a product asks for the same list: cache briefly. */
function cachedTags(repo: { id: string; accountId: string; region: string; name: string }): Promise<ImageTag[]> {
  return memoFor(`image-tags:${repo.id}`, TAG_CACHE_MS, () => listImageTags(repo));
}

/** The newest tag the page read for the repository, if any. */
function tagOf(products: DownloadProduct[], repo: { accountId: string; region: string; name: string }) {
  const shown = products.flatMap((p) => p.repositories).find((r) => r.accountId === repo.accountId && r.region === repo.region && r.name === repo.name);
  return shown?.tags?.[0]?.tag ?? null;
}

/** Everything the download page shows, read for one customer only. */
export async function customerDownloads(customerId: string, now = new Date()) {
  const [entitlements, identity, customer, { partition }] = await Promise.all([
    db.entitlement.findMany({
      where: { customerId },
      orderBy: [{ status: "asc" }, { expiresAt: "desc" }],
      include: { product: { include: { repositories: { orderBy: { name: "asc" } } } } },
    }),
    db.awsIdentity.findUnique({
      where: { liveFor: customerId },
      include: {
        accessKeys: {
          where: { status: { in: ["ACTIVE", "RETIRING"] } },
          orderBy: { createdAt: "desc" },
          select: { accessKeyId: true, status: true, retireAfter: true, createdAt: true, revealedAt: true, secretCiphertext: true },
        },
      },
    }),
    db.customer.findUniqueOrThrow({
      where: { id: customerId },
      select: { keyAccess: true, accounts: { where: { liveFor: customerId, OR: [{ provenAt: { not: null } }, { grants: { some: { desired: true } } }] }, orderBy: { createdAt: "asc" }, select: { accountId: true } } },
    }),
    portalAccount(),
  ]);
  const ownAccount = entitledRepositories(entitlements, now);

  const products = await Promise.all(
    entitlements.map(async (e): Promise<DownloadProduct> => {
      const state = displayState(e, e.product.gracePeriodDays, now);
      const usable = grantsAccess(e, e.product.gracePeriodDays, now) && e.syncStatus === "SYNCED";
      const repositories = await Promise.all(
        e.product.repositories.map(async (r) => {
          const tags = usable ? await cachedTags(r).catch(() => null) : [];
          return { id: r.id, name: r.name, region: r.region, accountId: r.accountId, uri: repositoryUri(r), tags };
        }),
      );
      return {
        entitlementId: e.id,
        productName: e.product.name,
        productSlug: e.product.slug,
        state,
        trial: e.kind === "TRIAL",
        autoRenews: e.autoRenews,
        usable,
        startsAt: e.startsAt,
        expiresAt: e.expiresAt,
        gracePeriodDays: e.product.gracePeriodDays,
        renewalUrl: e.product.renewalUrl,
        daysLeft: daysUntil(accessEndsAt(e.expiresAt, e.product.gracePeriodDays), now),
        repositories,
      };
    }),
  );

  const keys = (identity?.accessKeys ?? []).map((k) => ({
    accessKeyId: k.accessKeyId,
    createdAt: k.createdAt,
    revealedAt: k.revealedAt,
    secretAvailable: k.secretCiphertext !== null,
    retireAfter: k.retireAfter,
    retiring: k.status === "RETIRING",
  }));
  return {
    products,
    identity: identity ? { userName: identity.userName, arn: identity.arn } : null,
    // The newest active key is the one to use; a retiring key still works until its overlap ends.
    accessKey: keys.find((k) => !k.retiring),
    retiringKey: keys.find((k) => k.retiring),
    keyAccess: customer.keyAccess,
    /** The customer's own AWS accounts, which pull with their own credentials. */
    accountIds: customer.accounts.map((a) => a.accountId),
    /** The vendor's AWS partition, for the ARNs in the instructions for those accounts. */
    partition,
    /** What those accounts may pull: every entitled repository, with a tag to show where one is known. */
    ownAccountRepositories: ownAccount.map((r) => ({ ...r, tag: tagOf(products, r) })),
  };
}
