/** A repository as the database knows it: its product's tag value, and the value last confirmed on it in AWS. */
export type TaggableRepository = { taggedFor: string | null; product: { pullTag: number } };

/** The `pullgate-product` value a repository should carry. */
export const productTagOf = (repository: { product: { pullTag: number } }) => String(repository.product.pullTag);

/** The product tag a repository carries in AWS as its product's, or null while it does not (yet). */
export function productTagOn(repository: TaggableRepository): string | null {
  return repository.taggedFor === productTagOf(repository) ? repository.taggedFor : null;
}
