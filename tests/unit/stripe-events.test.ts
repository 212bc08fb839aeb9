import { describe, expect, it } from "vitest";
import { subscriptionTarget } from "@/lib/billing/apply-subscription";
import { readStripeEvent } from "@/lib/stripe/read-stripe-event";
import type { StripeEvent } from "@/lib/stripe/stripe-api";

const event = (type: string, object: object) => ({ id: "evt_1", type, created: 1, data: { object } }) as unknown as StripeEvent;
const at = (iso: string) => new Date(iso);
const unix = (iso: string) => at(iso).getTime() / 1000;

describe("readStripeEvent", () => {
  it("reads an invoice in the current API shape and in the older one alike", () => {
    const current = event("invoice.paid", {
      customer: "cus_A",
      customer_email: "a@example.com",
      parent: { subscription_details: { subscription: "sub_1" } },
      lines: { data: [{ period: { end: unix("2027-02-01T00:00:00Z") }, pricing: { price_details: { price: "price_A" } } }] },
    });
    const older = event("invoice.paid", {
      customer: { id: "cus_A", object: "customer" },
      customer_email: "a@example.com",
      subscription: "sub_1",
      lines: { data: [{ period: { end: unix("2027-02-01T00:00:00Z") }, price: { id: "price_A" } }] },
    });
    const expected = {
      subscriptionId: "sub_1",
      periodEnd: at("2027-02-01T00:00:00Z"),
      customerEmail: "a@example.com",
      customerName: null,
      stripeCustomerId: "cus_A",
      priceIds: ["price_A"],
      cancelsAtPeriodEnd: null,
    };
    expect(readStripeEvent(current)).toEqual(expected);
    expect(readStripeEvent(older)).toEqual(expected);
  });

  it("takes a deleted subscription's period end from its items, or from the subscription in older versions", () => {
    const items = event("customer.subscription.deleted", { id: "sub_2", items: { data: [{ price: { id: "price_B" }, current_period_end: unix("2027-03-01T00:00:00Z") }] } });
    const older = event("customer.subscription.deleted", { id: "sub_2", current_period_end: unix("2027-03-01T00:00:00Z"), items: { data: [{ price: { id: "price_B" } }] } });
    for (const e of [items, older]) expect(readStripeEvent(e)).toMatchObject({ subscriptionId: "sub_2", periodEnd: at("2027-03-01T00:00:00Z"), priceIds: ["price_B"] });
  });

  it("reads whether an updated subscription is set to end, but not its period as paid", () => {
    const cancelling = event("customer.subscription.updated", { id: "sub_4", cancel_at_period_end: true, items: { data: [{ price: { id: "price_C" }, current_period_end: unix("2027-03-01T00:00:00Z") }] } });
    expect(readStripeEvent(cancelling)).toMatchObject({ subscriptionId: "sub_4", periodEnd: null, cancelsAtPeriodEnd: true, priceIds: ["price_C"] });
  });

  it("reads the customer of a checkout, and ignores event types it does not act on", () => {
    const checkout = event("checkout.session.completed", { mode: "subscription", subscription: { id: "sub_3" }, customer: "cus_B", customer_details: { email: "b@example.com", name: "B" } });
    expect(readStripeEvent(checkout)).toMatchObject({ subscriptionId: "sub_3", customerEmail: "b@example.com", customerName: "B", stripeCustomerId: "cus_B", periodEnd: null });
    expect(readStripeEvent(event("charge.refunded", {}))).toBeNull();
  });
});

describe("subscriptionTarget", () => {
  const paid = (end: string) => ({ type: "invoice.paid", periodEnd: at(end), createdAt: at("2027-01-01T00:00:00Z"), cancelsAtPeriodEnd: null });
  const deleted = (end: string) => ({ type: "customer.subscription.deleted", periodEnd: at(end), createdAt: at("2027-01-01T00:00:00Z"), cancelsAtPeriodEnd: null });
  const updated = (day: string, cancelsAtPeriodEnd: boolean) => ({ type: "customer.subscription.updated", periodEnd: null, createdAt: at(day), cancelsAtPeriodEnd });

  it("is the latest paid period's end, capped by a cancellation, in any order", () => {
    const events = [paid("2027-02-01T00:00:00Z"), deleted("2027-03-01T00:00:00Z"), paid("2027-04-01T00:00:00Z")];
    for (const order of [events, [...events].reverse(), [events[1]!, events[2]!, events[0]!]]) {
      expect(subscriptionTarget(order)).toEqual({ target: at("2027-03-01T00:00:00Z"), ended: true, autoRenews: false });
    }
    expect(subscriptionTarget([paid("2027-02-01T00:00:00Z"), paid("2027-01-15T00:00:00Z")])).toEqual({
      target: at("2027-02-01T00:00:00Z"),
      ended: false,
      autoRenews: true,
    });
  });

  it("renews automatically until the latest update says it ends at its period's end", () => {
    const renewing = [paid("2027-02-01T00:00:00Z"), updated("2027-01-10T00:00:00Z", true), updated("2027-01-12T00:00:00Z", false)];
    expect(subscriptionTarget(renewing).autoRenews).toBe(true);
    expect(subscriptionTarget([...renewing.reverse(), updated("2027-01-20T00:00:00Z", true)]).autoRenews).toBe(false);
  });

  it("has no target before any period is paid", () => {
    expect(subscriptionTarget([deleted("2027-03-01T00:00:00Z")]).target).toBeNull();
  });
});
