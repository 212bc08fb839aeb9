// A customer's onboarding on PostgreSQL and the AWS emulator: the welcome email once its access is
// ready, its owners managing their own team from the portal, and signing out everywhere.
import { afterAll, describe, expect, inject, it } from "vitest";
import { signOutEverywhereAction } from "@/app/(auth)/account-actions";
import { inviteTeamUserAction, removeTeamUserAction } from "@/app/(customer)/portal/team/actions";
import { systemActor } from "@/lib/audit/actor";
import { currentUser } from "@/lib/auth/session";
import { welcomeCustomer, welcomeDueCustomers } from "@/lib/notices/welcome-customer";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import type { UserRole } from "@/lib/generated/prisma/enums";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { awsAdmin } from "../support/aws-admin";
import { closePools } from "../support/close-pools";
import { inbox } from "../support/inbox";
import { inAYear, unique } from "../support/seed";
import { signInAs } from "../support/signed-in-session";

const ctx = inject("integration");
const aws = awsAdmin(ctx);
const actor = systemActor("test");

afterAll(async () => {
  await closePools();
});

const email = (prefix: string) => `${unique(prefix)}@example.com`;

const welcomes = (customerId: string) => db.auditEvent.count({ where: { customerId, action: "customer.welcomed" } });

async function customerWith(...roles: UserRole[]) {
  const customer = await db.customer.create({ data: { name: unique("Customer") } });
  const users = [];
  for (const role of roles) users.push(await db.user.create({ data: { email: email(role.toLowerCase()), role, customerId: customer.id } }));
  return { customer, users };
}

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

describe("the welcome email", () => {
  it("goes once access is provisioned, not at the grant, and not again for a second product", async () => {
    const first = await aws.productOnNewRepository();
    const address = email("buyer");
    const grant = (productSlug: string) => grantEntitlement({ actor, source: "API", input: { customerEmail: address, productSlug, expiresAt: inAYear() } });

    const { entitlement } = await grant(first.slug);
    const { customerId } = entitlement;
    expect(await inbox(address)).toEqual([]);
    expect(await db.loginToken.count({ where: { user: { customerId } } })).toBe(0);
    expect(await db.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ welcomedAt: null });

    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    await welcomeDueCustomers();
    const [mail, ...more] = await inbox(address);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe(`Your access to ${first.product.name} is ready`);
    expect(mail!.text).toMatch(/\/login\/link\?token=/);
    expect(await db.loginToken.count({ where: { user: { customerId } } })).toBe(1);
    expect((await db.customer.findUniqueOrThrow({ where: { id: customerId } })).welcomedAt).toBeInstanceOf(Date);
    expect(await welcomes(customerId)).toBe(1);

    const second = await aws.productOnNewRepository();
    await grant(second.slug);
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    await welcomeDueCustomers();
    expect(await inbox(address)).toHaveLength(1);
    expect(await welcomes(customerId)).toBe(1);
  });

  it("waits for access that has started, then goes with the next lifecycle pass", async () => {
    const { slug, product } = await aws.productOnNewRepository();
    const address = email("later");
    const { entitlement } = await grantEntitlement({
      actor,
      source: "API",
      input: { customerEmail: address, productSlug: slug, startsAt: new Date(Date.now() + 86_400_000).toISOString(), expiresAt: inAYear() },
    });
    const { customerId } = entitlement;
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    await welcomeDueCustomers();
    expect(await welcomes(customerId)).toBe(0);
    expect(await inbox(address)).toEqual([]);

    // The start arrives: the reconcile queued for that moment provisions the access, and the
    // lifecycle pass welcomes.
    await db.entitlement.update({ where: { id: entitlement.id }, data: { startsAt: new Date(Date.now() - 1_000) } });
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    await welcomeDueCustomers();
    expect(await welcomes(customerId)).toBe(1);
    expect(await inbox(address)).toEqual([expect.objectContaining({ subject: `Your access to ${product.name} is ready` })]);
  });

  it("is claimed by one of many concurrent calls", async () => {
    const { product } = await aws.productOnNewRepository();
    const { customer, users } = await customerWith("CUSTOMER_OWNER");
    await db.entitlement.create({
      data: { customerId: customer.id, productId: product.id, source: "ADMIN", syncStatus: "SYNCED", expiresAt: new Date(Date.now() + 30 * 86_400_000) },
    });

    const sent = await Promise.all(Array.from({ length: 8 }, () => welcomeCustomer(customer.id)));
    expect(sent.filter(Boolean)).toHaveLength(1);
    expect(await welcomeCustomer(customer.id)).toBe(false);
    expect(await welcomes(customer.id)).toBe(1);
    expect(await inbox(users[0]!.email)).toHaveLength(1);
  });
});

describe("the customer's team, from the portal", () => {
  const refused = { ok: false, error: "You do not have access to this" };
  const counts = () => Promise.all([db.user.count(), db.auditEvent.count(), db.loginToken.count()]);

  it("lets an owner invite and remove users of their own organisation only", async () => {
    const { customer, users } = await customerWith("CUSTOMER_OWNER");
    const owner = users[0]!;
    const other = await customerWith("CUSTOMER_OWNER", "CUSTOMER_MEMBER");
    const stranger = other.users[1]!;
    signInAs(owner);

    // A customerId in the form is ignored: the scope is the owner's own customer.
    const invited = email("colleague");
    expect(await inviteTeamUserAction(null, form({ email: invited, role: "CUSTOMER_MEMBER", customerId: other.customer.id }))).toMatchObject({
      ok: true,
      message: expect.stringContaining(`Invited ${invited}`),
    });
    const colleague = await db.user.findUniqueOrThrow({ where: { email: invited } });
    expect(colleague).toMatchObject({ customerId: customer.id, role: "CUSTOMER_MEMBER" });
    expect(await db.auditEvent.findFirst({ where: { action: "user.invited", data: { path: ["userId"], equals: colleague.id } } })).toMatchObject({
      actorId: owner.id,
      customerId: customer.id,
    });
    expect(await inbox(invited)).toHaveLength(1);

    // Bad input changes nothing and says why.
    const before = await counts();
    expect(await inviteTeamUserAction(null, form({ email: "not an email", role: "CUSTOMER_MEMBER" }))).toMatchObject({ ok: false, error: "Enter a valid email address" });
    expect(await inviteTeamUserAction(null, form({ email: email("x"), role: "VENDOR_OWNER" }))).toMatchObject({ ok: false, error: "Choose a role: Owner, Member" });
    expect(await counts()).toEqual(before);

    // A forged id of another customer's user finds nothing.
    expect(await removeTeamUserAction(stranger.id)).toMatchObject({ ok: false, error: expect.stringContaining("not found") });
    expect(await db.user.findUnique({ where: { id: stranger.id } })).not.toBeNull();
    expect(await removeTeamUserAction(owner.id)).toMatchObject({ ok: false, error: expect.stringContaining("cannot remove yourself") });

    expect(await removeTeamUserAction(colleague.id)).toMatchObject({ ok: true, message: `Removed ${invited}; any session they had open has ended.` });
    expect(await db.user.findUnique({ where: { id: colleague.id } })).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "user.removed", actorId: owner.id, customerId: customer.id } })).toBe(1);
    signInAs(null);
  });

  it("refuses members, vendor staff and the signed-out before reading any input", async () => {
    const { users } = await customerWith("CUSTOMER_OWNER", "CUSTOMER_MEMBER");
    const [owner, member] = users;
    const vendorAdmin = await db.user.create({ data: { email: email("vendor-admin"), role: "VENDOR_ADMIN" } });
    const before = await counts();

    for (const user of [member!, vendorAdmin]) {
      signInAs(user);
      expect(await inviteTeamUserAction(null, form({ email: email("by-" + user.role.toLowerCase()), role: "CUSTOMER_OWNER" }))).toEqual(refused);
      expect(await inviteTeamUserAction(null, new FormData())).toEqual(refused);
      expect(await removeTeamUserAction(owner!.id)).toEqual(refused);
    }
    signInAs(null);
    expect(await signOutEverywhereAction()).toEqual({ ok: false, error: "Sign in first" });
    expect(await inviteTeamUserAction(null, form({ email: email("anon"), role: "CUSTOMER_MEMBER" }))).toEqual({ ok: false, error: "Sign in first" });
    expect(await removeTeamUserAction(member!.id)).toEqual({ ok: false, error: "Sign in first" });

    expect(await counts()).toEqual(before);
    expect(await db.user.findUniqueOrThrow({ where: { id: vendorAdmin.id } })).toMatchObject({ sessionEpoch: 0 });
  });
});

describe("signing out everywhere", () => {
  it("ends every session the user had, audits it, and leaves new sign-ins working", async () => {
    const { customer, users } = await customerWith("CUSTOMER_MEMBER");
    const member = users[0]!;
    signInAs(member);
    expect(await currentUser()).toMatchObject({ id: member.id });

    expect(await signOutEverywhereAction()).toEqual({ ok: true });
    expect(await currentUser()).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "user.signed_out_everywhere", actorId: member.id, customerId: customer.id } })).toBe(1);

    // A sign-in after it carries the new epoch.
    signInAs(await db.user.findUniqueOrThrow({ where: { id: member.id } }));
    expect(await currentUser()).toMatchObject({ id: member.id });
    signInAs(null);
  });
});
