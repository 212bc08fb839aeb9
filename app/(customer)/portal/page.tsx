import type { Metadata } from "next";
import { Suspense } from "react";
import { AccessKeyPanel } from "@/components/customer/access-key-panel";
import { KeyActivity, KeyActivityLoading } from "@/components/customer/key-activity";
import { ProductCard } from "@/components/customer/product-card";
import { RecentPulls } from "@/components/customer/recent-pulls";
import { PullInstructions } from "@/components/customer/pull-instructions";
import Link from "next/link";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { Card, Section } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { linkClass } from "@/components/ui/styles";
import { pullHistoryEnabled } from "@/lib/activity/ingest-pulls";
import { customerDownloads } from "@/lib/customers/customer-downloads";
import { downloadInstructions } from "@/lib/customers/download-instructions";
import { customerPage } from "./customer-guard";
import { keyOverlapDays } from "@/lib/credentials/rotate-access-key";
import { retireAccessKeyAction, revealSecretAction, rotateAccessKeyAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your downloads" };

async function loadPortal() {
  const user = await customerPage();
  // customerDownloads reads only rows whose customerId is this user's customer.
  const downloads = await customerDownloads(user.customerId);
  const { blocks, profile, region } = downloadInstructions(downloads);
  return { ...downloads, customerId: user.customerId, blocks, profile, region, anyUsable: downloads.products.some((p) => p.usable) };
}

export default async function PortalPage() {
  const data = await loadPortal();
  const { customerId, products, accessKey, retiringKey, blocks, profile, region, anyUsable, keyAccess, accountIds } = data;
  const settingUp = products.some((p) => p.state === "provisioning");

  return (
    <>
      <AutoRefresh active={settingUp} />
      <PageHeader title="Your downloads" description="Container images you have access to, and how to pull them." />

      <Section title="Your products">
        {products.length === 0 ? (
          <Card>
            <p className="font-medium">You do not have any products yet.</p>
            <p className="mt-1 text-sm">When your vendor gives you access, it appears here and we email you.</p>
          </Card>
        ) : (
          <div className="space-y-4">
            {products.map((p) => (
              <ProductCard key={p.entitlementId} product={p} />
            ))}
          </div>
        )}
      </Section>

      {!anyUsable && products.length > 0 && (
        <Card>
          <p role="status" className="font-medium">
            {settingUp ? "Your access is being set up." : "You have no active access right now."}
          </p>
          <p className="mt-1 text-sm">
            {settingUp
              ? "Your access key and pull instructions appear here when it is ready. This page updates by itself."
              : "Your access key and pull instructions appear here while you have an active product. Contact your vendor to renew."}
          </p>
        </Card>
      )}

      {anyUsable && !keyAccess && (
        <Card>
          <p data-testid="own-account-only">
            You pull with your own AWS account{accountIds.length > 1 ? "s" : ""} {accountIds.join(", ")}; Pullgate access keys are off. Manage this under{" "}
            <Link href="/portal/accounts" className={linkClass}>
              AWS accounts
            </Link>
            .
          </p>
        </Card>
      )}

      {anyUsable && keyAccess && (
        <Section title="Your access key" description="These AWS credentials let Docker pull your images. Keep them private.">
          <Card>
            {accessKey ? (
              <AccessKeyPanel
                key={accessKey.accessKeyId}
                accessKey={accessKey}
                profile={profile}
                region={region}
                reveal={revealSecretAction}
                rotate={rotateAccessKeyAction}
                overlapDays={retiringKey ? null : keyOverlapDays()}
              />
            ) : (
              <p>No access key is available right now. Reload the page in a minute; if this lasts, contact your vendor.</p>
            )}
          </Card>
        </Section>
      )}

      {accessKey && (
        <Section title="Key activity" description="When IAM last saw each of your keys used. IAM records use within a few hours.">
          <Suspense fallback={<KeyActivityLoading />}>
            <KeyActivity customerId={customerId} retire={retireAccessKeyAction} />
          </Suspense>
        </Section>
      )}

      {pullHistoryEnabled() && (
        <Section title="Recent pulls" description="Read from our AWS account's CloudTrail logs, which arrive within about 15 minutes.">
          <RecentPulls customerId={customerId} />
        </Section>
      )}

      {anyUsable && blocks.length > 0 && (
        <Section title="Pull instructions" description="Run these once per machine. Commands use the newest image of each repository.">
          <Card>
            <PullInstructions blocks={blocks} />
          </Card>
        </Section>
      )}
    </>
  );
}
