import type { Metadata } from "next";
import { AccessModesForm, AttachRepositoryForm, CreateProductForm, ProductTermsForm, RemovePriceButton, StripePriceForm } from "@/components/admin/product-forms";
import { RepositoryTable } from "@/components/admin/repository-table";
import { Card, Section } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { buttonClass } from "@/components/ui/button";
import { SelectField } from "@/components/ui/form-field";
import { availableRepositories, ecrRegions, registryAccounts } from "@/lib/products/available-repositories";
import { listProducts } from "@/lib/products/products-view";
import { accessModeLabels, accessModeOptions, accessModeRevocation } from "@/lib/products/set-access-modes";
import { param, type SearchParams } from "@/app/form-values";
import { canWrite, vendorPage } from "../vendor-guard";
import { addStripePriceAction, attachRepositoryAction, createProductAction, removeStripePriceAction, setAccessModesAction, setProductTermsAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Products" };

async function loadProducts(requested: { region?: string; account?: string }) {
  const user = await vendorPage();
  const regions = ecrRegions();
  const region = requested.region && regions.includes(requested.region) ? requested.region : regions[0]!;
  const products = await listProducts();
  // The picker needs AWS; when AWS cannot be read the page still shows the products.
  const picker = canWrite(user)
    ? await pickFrom(region, requested.account).then(
        (picked) => ({ ok: true as const, ...picked }),
        (error: unknown) => ({ ok: false as const, error: String((error as Error)?.message ?? error) }),
      )
    : null;
  return { user, products, regions, region, picker };
}

/** The accounts repositories may come from, the one picked, and its repositories in the region. */
async function pickFrom(region: string, requestedAccount: string | undefined) {
  const accounts = await registryAccounts();
  const account = requestedAccount && accounts.includes(requestedAccount) ? requestedAccount : accounts[0]!;
  return { accounts, account, list: await availableRepositories(region, account) };
}

export default async function ProductsPage({ searchParams }: { searchParams: SearchParams }) {
  const query = await searchParams;
  const { user, products, regions, region, picker } = await loadProducts({ region: param(query.region), account: param(query.account) });
  const accounts = picker?.ok ? picker.accounts : [];
  const writable = canWrite(user);
  const modeOptions = accessModeOptions();
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
      <Section title="How access ends" description="When a licence lapses or is revoked, each way to pull stops as follows.">
        <Card>
          <dl className="space-y-2 text-sm">
            {modeOptions.map(({ value, label }) => (
              <div key={value}>
                <dt className="font-medium">{label}</dt>
                <dd className="text-slate-600 dark:text-slate-300">{accessModeRevocation[value]}</dd>
              </div>
            ))}
          </dl>
        </Card>
      </Section>
      <Section title="All products">
        {writable && (regions.length > 1 || accounts.length > 1) && (
          <form method="get" className="flex items-end gap-3" aria-label="Where to pick repositories from">
            {accounts.length > 1 && picker?.ok && (
              <SelectField label="Pick repositories from account" name="account" id="picker-account" defaultValue={picker.account}>
                {accounts.map((a) => (
                  <option key={a}>{a}</option>
                ))}
              </SelectField>
            )}
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
        {picker && !picker.ok && (
          <p role="alert" className="text-sm font-medium text-red-800 dark:text-red-200">
            The repositories in {region} could not be listed: {picker.error}
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
              <p className="text-sm text-slate-600 dark:text-slate-300">
                Access modes: {p.accessModes.map((mode) => accessModeLabels[mode]).join(", ") || "none"} · new customers start with{" "}
                {accessModeLabels[p.defaultAccessMode]}
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
            {writable && (
              <AccessModesForm productId={p.id} productName={p.name} options={modeOptions} current={p} action={setAccessModesAction.bind(null, p.id)} />
            )}
            {picker?.ok && (
              <AttachRepositoryForm
                productId={p.id}
                productName={p.name}
                region={region}
                account={accounts.length > 1 ? picker.account : null}
                choices={picker.list}
                action={attachRepositoryAction.bind(null, p.id)}
              />
            )}
          </Card>
        ))}
      </Section>
    </>
  );
}
