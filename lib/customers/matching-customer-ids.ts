import { Prisma } from "@/lib/generated/prisma/client";
import { likeLiteral } from "@/lib/search/contains-text";

/**
 * The ids of the customers whose name, or one of whose users' emails, contains the text
 * (case-insensitive, wildcards matched literally), as a subquery. The two tables are searched
 * apart, each through its own trigram index, and the ids unioned: an OR across them would test
 * every customer.
 */
export function matchingCustomerIds(text: string): Prisma.Sql {
  const pattern = `%${likeLiteral(text)}%`;
  return Prisma.sql`SELECT id FROM "Customer" WHERE name ILIKE ${pattern}
    UNION SELECT "customerId" FROM "User" WHERE email ILIKE ${pattern} AND "customerId" IS NOT NULL`;
}
