// Trials and the product's terms: a trial's own length, one trial per customer and product,
// conversion in place (no AWS change), and the grace period after expiry.
import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { customerDownloads } from "@/lib/customers/customer-downloads";
import { db } from "@/lib/db";
import { convertTrial } from "@/lib/entitlements/convert-trial";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { expireDueEntitlements } from "@/lib/provisioning/expire-entitlements";
import { setProductTerms } from "@/lib/products/set-product-terms";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { probe } from "../support/aws-probe";
import { productOnNewRepositoryFixture } from "../support/product-fixture";
import { unique } from "../support/seed";

const actor = systemActor("test");
const DAY = 86_400_000;
const { product } = productOnNewRepositoryFixture();
const productRow = () => db.product.findUniqueOrThrow({ where: { slug: product.slug } });
const trialOf = (customerEmail: string, extra: object = {}) =>
  grantEntitlement({ actor, source: "ADMIN", input: { customerEmail, productSlug: product.slug, kind: "TRIAL", ...extra } });

describe("trials", () => {
  it("last the product's trial length, and a customer gets one trial per product", async () => {
    const { id } = await productRow();
    await setProductTerms({ actor, productId: id, input: { gracePeriodDays: 0, trialDays: 10, defaultTermDays: 365 } });
    const email = `${unique("trial")}@example.com`;
    const { entitlement } = await trialOf(email);
    expect(entitlement.kind).toBe("TRIAL");
    expect(Math.round((entitlement.expiresAt.getTime() - entitlement.startsAt.getTime()) / DAY)).toBe(10);

    const before = await db.entitlement.count();
    await expect(trialOf(email)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/trial is for customers new to it/) });
    expect(await db.entitlement.count()).toBe(before);
  });

  it("convert in place: same key and repositories, a paid term, nothing for AWS to do", async () => {
    const email = `${unique("convert")}@example.com`;
    const { entitlement: trial } = await trialOf(email);
    expect(await convergeCustomer(trial.customerId, actor)).toEqual({ ok: true });
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: trial.customerId } });
    const keys = await probe.keyIds(identity.userName);
    const synced = await db.entitlement.findUniqueOrThrow({ where: { id: trial.id } });

    const converted = await convertTrial({ actor, entitlementId: trial.id, input: {} });
    expect(converted.kind).toBe("STANDARD");
    expect(Math.round((converted.expiresAt.getTime() - Date.now()) / DAY)).toBe(365);
    expect(converted).toMatchObject({ syncStatus: "SYNCED", syncedAt: synced.syncedAt });
    expect(await probe.keyIds(identity.userName)).toEqual(keys);
    expect(await probe.principals(product.repo)).toContain(identity.arn);
    await expect(convertTrial({ actor, entitlementId: trial.id, input: {} })).rejects.toMatchObject({ code: "CONFLICT" });

    // A standard grant of a product being trialled converts the trial too, rather than adding a second entitlement.
    const other = `${unique("bought")}@example.com`;
    const { entitlement: running } = await trialOf(other);
    const bought = await grantEntitlement({ actor, source: "API", input: { customerEmail: other, productSlug: product.slug, externalRef: unique("order") } });
    expect(bought).toMatchObject({ created: false, entitlement: { id: running.id, kind: "STANDARD", source: "API" } });
    expect(await db.entitlement.count({ where: { customerId: running.customerId } })).toBe(1);
  });

  it("keep access through the product's grace period, marked as grace, then end", async () => {
    const { id } = await productRow();
    await setProductTerms({ actor, productId: id, input: { gracePeriodDays: 3, trialDays: 14, defaultTermDays: 365 } });
    const email = `${unique("grace")}@example.com`;
    const { entitlement } = await trialOf(email, { expiresAt: new Date(Date.now() + DAY).toISOString() });
    expect(await convergeCustomer(entitlement.customerId, actor)).toEqual({ ok: true });

    const afterExpiry = new Date(Date.now() + 2 * DAY);
    await expireDueEntitlements(afterExpiry);
    expect((await db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).status).toBe("ACTIVE");
    const [card] = (await customerDownloads(entitlement.customerId, afterExpiry)).products;
    expect(card).toMatchObject({ state: "grace", trial: true, usable: true, daysLeft: 2 });

    const afterGrace = new Date(Date.now() + 4 * DAY + 60_000);
    await expireDueEntitlements(afterGrace);
    expect((await db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).status).toBe("EXPIRED");
    await setProductTerms({ actor, productId: id, input: { gracePeriodDays: 0, trialDays: 14, defaultTermDays: 365 } });
  });

  it("refuse terms out of range and change nothing", async () => {
    const row = await productRow();
    for (const bad of [{ trialDays: 0 }, { gracePeriodDays: -1 }, { defaultTermDays: 99999 }, { renewalUrl: "http://plain.example.com" }]) {
      await expect(setProductTerms({ actor, productId: row.id, input: { ...row, renewalUrl: undefined, ...bad } })).rejects.toThrow();
    }
    expect(await productRow()).toEqual(row);
  });
});
