import type { Metadata } from "next";
import { AccessCheckForm, CustomerChoices } from "@/components/admin/access-check-form";
import { AccessCheckResult } from "@/components/admin/access-check-result";
import { Card, Section } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getAccessCheckView } from "@/lib/access/access-check-view";
import { param, type SearchParams } from "@/app/form-values";
import { vendorPage } from "../vendor-guard";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Access check" };

export default async function AccessCheckPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const query = { customer: param(sp.customer), product: param(sp.product) };
  await vendorPage();
  const view = await getAccessCheckView(query);
  return (
    <>
      <PageHeader
        title="Access check"
        description="Can this customer pull this product now? Answered from the policies AWS holds, evaluated independently of the code that wrote them."
      />
      <Section title="Customer and product">
        <Card>
          <AccessCheckForm
            customerText={query.customer}
            customer={view.customer}
            productId={query.product}
            products={view.products}
            productUnknown={view.productUnknown}
          />
        </Card>
      </Section>
      {view.customer.kind === "ambiguous" && (
        <CustomerChoices matches={view.customer.matches} more={view.customer.more} productId={view.product?.id} />
      )}
      {view.check && <AccessCheckResult check={view.check} />}
    </>
  );
}
