// The vendor's renewal link and the countdown on the customer's download page.
import { afterAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { systemActor } from "@/lib/audit/actor";
import { customerDownloads } from "@/lib/customers/customer-downloads";
import { db } from "@/lib/db";
import { createProduct } from "@/lib/products/create-product";
import { setProductTerms } from "@/lib/products/set-product-terms";
import { closePools } from "../support/close-pools";
import { unique } from "../support/seed";

const actor = systemActor("test");
const DAY = 86_400_000;

afterAll(closePools);

describe("the renewal link", () => {
  it("is set by the vendor, checked to be a web address, and shown with the days left to the customer", async () => {
    const slug = unique("renew");
    await expect(createProduct({ actor, input: { name: "Renewable", slug, renewalUrl: "javascript:alert(1)" } })).rejects.toBeInstanceOf(ZodError);
    const product = await createProduct({ actor, input: { name: "Renewable", slug, gracePeriodDays: 3, renewalUrl: "https://store.example.com/renew" } });
    const customer = await db.customer.create({ data: { name: unique("renewing") } });
    const now = new Date();
    await db.entitlement.create({
      data: { customerId: customer.id, productId: product.id, source: "ADMIN", expiresAt: new Date(now.getTime() + 10 * DAY - 60_000) },
    });

    const [shown] = (await customerDownloads(customer.id, now)).products;
    // Ten days of term plus three of grace.
    expect(shown).toMatchObject({ renewalUrl: "https://store.example.com/renew", daysLeft: 13 });

    const terms = { gracePeriodDays: 3, trialDays: 14, defaultTermDays: 365, renewalUrl: "https://store.example.com/renew" };
    for (const bad of ["http://store.example.com/renew", "data:text/html,hi", "not a url"]) {
      await expect(setProductTerms({ actor, productId: product.id, input: { ...terms, renewalUrl: bad } })).rejects.toBeInstanceOf(ZodError);
    }
    expect((await db.product.findUniqueOrThrow({ where: { id: product.id } })).renewalUrl).toBe("https://store.example.com/renew");
    await expect(setProductTerms({ actor, productId: "no-such-product", input: terms })).rejects.toMatchObject({ code: "NOT_FOUND" });

    expect(await setProductTerms({ actor, productId: product.id, input: { ...terms, renewalUrl: undefined } })).toMatchObject({ renewalUrl: null });
    expect((await customerDownloads(customer.id, now)).products[0]).toMatchObject({ renewalUrl: null, daysLeft: 13 });

    // A longer grace period counts at once.
    await setProductTerms({ actor, productId: product.id, input: { ...terms, gracePeriodDays: 5 } });
    expect((await customerDownloads(customer.id, now)).products[0]!.daysLeft).toBe(15);
  });
});
