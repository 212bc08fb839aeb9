import { db } from "@/lib/db";

export type ProductOption = { id: string; name: string; slug: string };

/** Every product by name, as pickers and filters offer them. */
export function listProductOptions(): Promise<ProductOption[]> {
  return db.product.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, slug: true } });
}
