import type { Metadata } from "next";
import { AttachRepositoryForm, CreateProductForm } from "@/components/admin/product-forms";
import { RepositoryTable } from "@/components/admin/repository-table";
import { Card, Section } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/lib/db";
import { canWrite, vendorPage } from "../vendor-guard";
import { attachRepositoryAction, createProductAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Products" };

async function loadProducts() {
  const user = await vendorPage();
  const products = await db.product.findMany({
    orderBy: { name: "asc" },
    include: { repositories: { orderBy: { name: "asc" } }, _count: { select: { entitlements: true } } },
  });
  return { user, products };
}

export default async function ProductsPage() {
  const data = await loadProducts();
  const { user, products } = data;
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
        {products.length === 0 && <p>No products yet.</p>}
        {products.map((p) => (
          <Card key={p.id} className="space-y-4">
            <div>
              <h3 className="text-base font-semibold">
                {p.name} <span className="font-mono text-sm font-normal">({p.slug})</span>
              </h3>
              <p className="text-sm text-slate-600 dark:text-slate-300">
                Grace period: {p.gracePeriodDays} days · {p._count.entitlements} entitlements
                {p.description && ` · ${p.description}`}
              </p>
            </div>
            <RepositoryTable caption={`Repositories of ${p.name}`} repositories={p.repositories} />
            {writable && <AttachRepositoryForm productId={p.id} productName={p.name} action={attachRepositoryAction.bind(null, p.id)} />}
          </Card>
        ))}
      </Section>
    </>
  );
}
