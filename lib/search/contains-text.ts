/** LIKE wildcards in a user's text, escaped so they match literally (Prisma passes them through). */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, "\\$&");

/** A case-insensitive substring filter for Prisma that finds exactly the text typed. */
export const containsText = (text: string) => ({ contains: likeLiteral(text), mode: "insensitive" as const });
