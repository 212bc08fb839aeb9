import type { Metadata } from "next";
import { AttachRepositoryForm, CreateProductForm, ProductTermsForm, RemovePriceButton, StripePriceForm } from "@/components/admin/product-forms";
import { RepositoryTable } from "@/components/admin/repository-table";
import { Card, Section } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { buttonClass } from "@/components/ui/button";
import { SelectField } from "@/components/ui/form-field";
import { availableRepositories, ecrRegions } from "@/lib/products/available-repositories";
import { listProducts } from "@/lib/products/products-view";
import { param, type SearchParams } from "@/app/form-values";
import { canWrite, vendorPage } from "../vendor-guard";
import { addStripePriceAction, attachRepositoryAction, createProductAction, removeStripePriceAction, setProductTermsAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Products" };

async function loadProducts(requestedRegion: string | undefined) {
  const user = await vendorPage();
  const regions = ecrRegions();
  const region = requestedRegion && regions.includes(requestedRegion) ? requestedRegion : regions[0]!;
  const products = await listProducts();
  // The picker needs AWS; when AWS cannot be read the page still shows the products.
  const choices = canWrite(user)
    ? await availableRepositories(region).then(
        (list) => ({ ok: true as const, list }),
        (error: unknown) => ({ ok: false as const, error: String((error as Error)?.message ?? error) }),
      )
    : null;
  return { user, products, regions, region, choices };
}

export default async function ProductsPage({ searchParams }: { searchParams: SearchParams }) {
  const data = await loadProducts(param((await searchParams).region));
  const { user, products, regions, region, choices } = data;
  const writable = canWrite(user);
  return (
    <>
      <PageHeader title="Products" description="A product is a set of ECR repositories that customers are entitled to pull." />
      {writable && (
        <Section title="Create a product">
          <Card>
            <CreateProductForm action={createProductAction} />
          </Card>
        </Section>
      )}
      <Section title="All products">
        {writable && regions.length > 1 && (
          <form method="get" className="flex items-end gap-3" aria-label="Region to pick repositories from">
            <SelectField label="Pick repositories from region" name="region" id="picker-region" defaultValue={region}>
              {regions.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </SelectField>
            <button type="submit" className={buttonClass("secondary")}>
              Show repositories
            </button>
          </form>
        )}
        {choices && !choices.ok && (
          <p role="alert" className="text-sm font-medium text-red-800 dark:text-red-200">
            The repositories in {region} could not be listed: {choices.error}
          </p>
        )}
        {products.length === 0 && <p>No products yet.</p>}
        {products.map((p) => (
          <Card key={p.id} className="space-y-4">
            <div>
              <h3 className="text-base font-semibold">
                {p.name} <span className="font-mono text-sm font-normal">({p.slug})</span>
              </h3>
              <p className="text-sm text-slate-600 dark:text-slate-300">
                Grace period: {p.gracePeriodDays} days · trials {p.trialDays} days · default term {p.defaultTermDays} days ·{" "}
                {p.entitlementCount} entitlements
                {p.description && ` · ${p.description}`}
              </p>
            </div>
            <RepositoryTable caption={`Repositories of ${p.name}`} repositories={p.repositories} />
            <div className="space-y-2">
              <h4 className="text-sm font-semibold">Sold through Stripe as</h4>
              {p.stripePriceIds.length === 0 ? (
                <p className="text-sm text-slate-600 dark:text-slate-300">No Stripe price yet: purchases in Stripe do not grant it.</p>
              ) : (
                <ul className="space-y-1" aria-label={`Stripe prices of ${p.name}`}>
                  {p.stripePriceIds.map((priceId) => (
                    <li key={priceId} className="flex items-center gap-3">
                      <code className="font-mono text-sm">{priceId}</code>
                      {writable && <RemovePriceButton priceId={priceId} action={removeStripePriceAction.bind(null, p.id, priceId)} />}
                    </li>
                  ))}
                </ul>
              )}
              {writable && <StripePriceForm productId={p.id} productName={p.name} action={addStripePriceAction.bind(null, p.id)} />}
            </div>
            {writable && <ProductTermsForm productId={p.id} productName={p.name} current={p} action={setProductTermsAction.bind(null, p.id)} />}
            {choices?.ok && (
              <AttachRepositoryForm productId={p.id} productName={p.name} region={region} choices={choices.list} action={attachRepositoryAction.bind(null, p.id)} />
            )}
          </Card>
        ))}
      </Section>
    </>
  );
}
