// Inviting and removing customer users and vendor staff, and changing staff roles, on PostgreSQL:
// scopes, owner protections, idempotency, audit events, emails, and who may call the actions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { inviteCustomerUserAction } from "@/app/(admin)/admin/customers/[id]/actions";
import { changeTeamRoleAction, inviteTeamMemberAction, removeTeamMemberAction } from "@/app/(admin)/admin/team/actions";
import { inviteTeamUserAction, removeTeamUserAction } from "@/app/(customer)/portal/team/actions";
import type { Actor } from "@/lib/audit/actor";
import { currentUser } from "@/lib/auth/session";
import { getCustomerView } from "@/lib/customers/customer-view";
import { db } from "@/lib/db";
import type { UserRole } from "@/lib/generated/prisma/enums";
import { changeStaffRole } from "@/lib/users/change-staff-role";
import { inviteUser } from "@/lib/users/invite-user";
import { listTeam } from "@/lib/users/list-team";
import { removeUser } from "@/lib/users/remove-user";
import { closePools } from "../support/close-pools";
import { inbox } from "../support/inbox";
import { unique } from "../support/seed";
import { signInAs } from "../support/signed-in-session";

afterAll(async () => {
  await closePools();
});

type User = { id: string; email: string; role: UserRole; sessionEpoch: number };

const email = (prefix: string) => `${unique(prefix)}@example.com`;
const actorOf = (user: User): Actor => ({ type: "USER", id: user.id, label: user.email });
const staff = (role: UserRole) => db.user.create({ data: { email: email(role.toLowerCase()), role } });

async function customerWith(...roles: UserRole[]) {
  const customer = await db.customer.create({ data: { name: unique("Customer") } });
  const users = [];
  for (const role of roles) users.push(await db.user.create({ data: { email: email(role.toLowerCase()), role, customerId: customer.id } }));
  return { customer, users };
}

const auditEvents = (action: string, userId: string) => db.auditEvent.findMany({ where: { action, data: { path: ["userId"], equals: userId } } });

describe("inviting a user", () => {
  let vendorAdmin: User;
  beforeAll(async () => {
    vendorAdmin = await staff("VENDOR_ADMIN");
  });

  it("adds a customer user with a trimmed, lower-cased email, audits it and emails a customer invitation", async () => {
    const { customer } = await customerWith("CUSTOMER_OWNER");
    const address = email("Invitee");
    const out = await inviteUser({
      actor: actorOf(vendorAdmin),
      customerId: customer.id,
      input: { email: `  ${address.toUpperCase()} `, name: " Ann Example ", role: "CUSTOMER_MEMBER" },
    });

    expect(out).toMatchObject({ created: true, email: "sent" });
    const user = await db.user.findUniqueOrThrow({ where: { email: address.toLowerCase() } });
    expect(user).toMatchObject({ id: out.user.id, name: "Ann Example", role: "CUSTOMER_MEMBER", customerId: customer.id, lastLoginAt: null });
    expect(await auditEvents("user.invited", user.id)).toEqual([
      expect.objectContaining({ actorId: vendorAdmin.id, customerId: customer.id, data: { userId: user.id, email: user.email, role: "CUSTOMER_MEMBER" } }),
    ]);
    expect(await db.loginToken.count({ where: { userId: user.id } })).toBe(1);
    const [mail, ...more] = await inbox(user.email);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe("Your software downloads are ready");
    expect(mail!.text).toMatch(/\/login\/link\?token=/);
  });

  it("adds a vendor team member with the team's own invitation email", async () => {
    const address = email("colleague");
    const out = await inviteUser({ actor: actorOf(vendorAdmin), customerId: null, input: { email: address, role: "VENDOR_VIEWER" } });

    expect(out).toMatchObject({ created: true, email: "sent" });
    expect(await db.user.findUniqueOrThrow({ where: { id: out.user.id } })).toMatchObject({ email: address, name: null, role: "VENDOR_VIEWER", customerId: null });
    expect(await auditEvents("user.invited", out.user.id)).toEqual([expect.objectContaining({ customerId: null })]);
    const [mail] = await inbox(address);
    expect(mail!.subject).toBe("You have been invited to Pullgate");
    expect(mail!.text).toContain("You have been invited to manage software access in Pullgate");
  });

  it("changes nothing when invited again, but sends the email again until the rate limit", async () => {
    const { customer } = await customerWith("CUSTOMER_OWNER");
    const address = email("again");
    const invite = () => inviteUser({ actor: actorOf(vendorAdmin), customerId: customer.id, input: { email: address, role: "CUSTOMER_MEMBER" } });
    const first = await invite();
    // Sign-in links are limited to five per user in a quarter hour: four more go out, then none.
    for (let i = 0; i < 4; i++) expect(await invite()).toMatchObject({ created: false, email: "sent", user: { id: first.user.id } });
    expect(await invite()).toMatchObject({ created: false, email: "rate-limited", user: { id: first.user.id } });

    expect(await db.user.count({ where: { email: address } })).toBe(1);
    expect(await auditEvents("user.invited", first.user.id)).toHaveLength(1);
    expect(await auditEvents("user.invitation_resent", first.user.id)).toHaveLength(4);
    expect(await db.loginToken.count({ where: { userId: first.user.id } })).toBe(5);
    expect(await inbox(address)).toHaveLength(5);
  });

  it("refuses an email that belongs to another customer, to the other side, or to another role here, and changes nothing", async () => {
    const a = await customerWith("CUSTOMER_OWNER");
    const b = await customerWith("CUSTOMER_OWNER");
    const customerUser = a.users[0]!;
    const before = await db.user.findMany({ where: { id: { in: [customerUser.id, vendorAdmin.id] } }, orderBy: { id: "asc" } });
    const invite = (customerId: string | null, address: string, role: UserRole) =>
      inviteUser({ actor: actorOf(vendorAdmin), customerId, input: { email: address, role } });

    await expect(invite(b.customer.id, customerUser.email, "CUSTOMER_MEMBER")).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(`already belongs to the customer “${a.customer.name}”`),
    });
    await expect(invite(null, customerUser.email.toUpperCase(), "VENDOR_ADMIN")).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(a.customer.name),
    });
    await expect(invite(a.customer.id, vendorAdmin.email, "CUSTOMER_MEMBER")).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already belongs to the vendor team"),
    });
    await expect(invite(a.customer.id, customerUser.email, "CUSTOMER_MEMBER")).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already a user of this customer, as Owner"),
    });
    await expect(invite(null, vendorAdmin.email, "VENDOR_OWNER")).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already on the team as Admin"),
    });

    expect(await db.user.findMany({ where: { id: { in: [customerUser.id, vendorAdmin.id] } }, orderBy: { id: "asc" } })).toEqual(before);
    expect(await db.loginToken.count({ where: { userId: { in: [customerUser.id, vendorAdmin.id] } } })).toBe(0);
  });

  it("answers a customer owner about another customer's or the vendor's address exactly as about a new one, and changes nothing there", async () => {
    const mine = await customerWith("CUSTOMER_OWNER");
    const other = await customerWith("CUSTOMER_OWNER");
    const otherUser = other.users[0]!;
    const theirs = [otherUser.id, vendorAdmin.id];
    const before = await db.user.findMany({ where: { id: { in: theirs } }, orderBy: { id: "asc" } });
    const fresh = email("fresh");
    // The answer with the address taken out: all that may differ between the cases.
    const invite = async (address: string) => {
      const data = new FormData();
      data.set("email", address);
      data.set("role", "CUSTOMER_MEMBER");
      const answer = await inviteTeamUserAction(null, data);
      return JSON.stringify(answer).replaceAll(address, "ADDRESS");
    };

    signInAs(mine.users[0]!);
    // Each address six times: new, resent four times, then the sign-in link limit.
    const answers = async (address: string) => {
      const out = [];
      for (let i = 0; i < 6; i++) out.push(await invite(address));
      return out;
    };
    const expected = await answers(fresh);
    expect(JSON.parse(expected[0]!)).toMatchObject({ ok: true, message: "Invited ADDRESS. An invitation email is on its way." });
    expect(await answers(otherUser.email)).toEqual(expected);
    expect(await answers(vendorAdmin.email)).toEqual(expected);
    signInAs(null);

    expect(await db.user.findMany({ where: { id: { in: theirs } }, orderBy: { id: "asc" } })).toEqual(before);
    expect(await db.loginToken.count({ where: { userId: { in: theirs } } })).toBe(0);
    expect(await inbox(otherUser.email)).toEqual([]);
    expect(await inbox(vendorAdmin.email)).toEqual([]);
    expect(await db.auditEvent.count({ where: { customerId: other.customer.id } })).toBe(0);
    // The vendor still sees why, in the audit log.
    // Each address's withheld invitation is there, whatever order the audit rows come back in.
    const withheld = await db.auditEvent.findMany({ where: { action: "user.invitation_withheld", customerId: mine.customer.id } });
    const reasonFor = (address: string) => withheld.map((event) => event.data as { email?: string; reason?: string }).find((data) => data.email === address)?.reason;
    expect(reasonFor(otherUser.email)).toContain(other.customer.name);
    expect(reasonFor(vendorAdmin.email)).toContain("vendor team");
  });

  it("lists, refuses a role change for, and removes a withheld invitation exactly as a pending one, while the vendor sees which is which", async () => {
    const mine = await customerWith("CUSTOMER_OWNER");
    const other = await customerWith("CUSTOMER_OWNER");
    const owner = mine.users[0]!;
    const addresses = [email("pending"), other.users[0]!.email, vendorAdmin.email];
    const form = (address: string, role: string) => {
      const data = new FormData();
      data.set("email", address);
      data.set("role", role);
      return data;
    };
    const anonymised = (answer: unknown, address: string) => JSON.stringify(answer).replaceAll(address, "ADDRESS");

    signInAs(owner);
    for (const address of addresses) await inviteTeamUserAction(null, form(address, "CUSTOMER_MEMBER"));
    const rows = (await listTeam(mine.customer.id)).filter((m) => m.id !== owner.id);
    expect(rows.map((m) => m.email).sort()).toEqual([...addresses].sort());
    // Every field the portal shows, and the row's shape, are alike: only the address differs.
    const shapes = rows.map(({ id, email: address, ...rest }) => ({ id: typeof id, rest, keys: Object.keys({ id, email: address, ...rest }) }));
    expect(new Set(shapes.map((s) => JSON.stringify(s))).size).toBe(1);
    expect(rows[0]).toMatchObject({ name: null, role: "CUSTOMER_MEMBER", lastLoginAt: null });

    const roleChanges = [];
    for (const address of addresses) roleChanges.push(anonymised(await inviteTeamUserAction(null, form(address, "CUSTOMER_OWNER")), address));
    expect(new Set(roleChanges).size).toBe(1);
    expect(JSON.parse(roleChanges[0]!)).toMatchObject({ ok: false, error: expect.stringContaining("already a user of this customer") });

    // The vendor's view of the customer tells the withheld ones apart.
    const seen = await getCustomerView(mine.customer.id);
    expect(seen!.users.filter((u) => u.withheld).map((u) => u.email).sort()).toEqual(addresses.slice(1).sort());

    const removals = [];
    for (const row of rows) removals.push(anonymised(await removeTeamUserAction(row.id), row.email));
    expect(new Set(removals).size).toBe(1);
    expect(JSON.parse(removals[0]!)).toMatchObject({ ok: true });
    expect((await listTeam(mine.customer.id)).map((m) => m.id)).toEqual([owner.id]);
    // Removed twice: not found, whatever the row was.
    expect(new Set(await Promise.all(rows.map(async (row) => anonymised(await removeTeamUserAction(row.id), row.email)))).size).toBe(1);
    signInAs(null);
    // The other customer's user and the vendor's admin are untouched.
    expect(await db.user.count({ where: { id: { in: [other.users[0]!.id, vendorAdmin.id] } } })).toBe(2);
  });

  it("refuses bad input with a clear error and creates nobody", async () => {
    const { customer } = await customerWith("CUSTOMER_OWNER");
    const address = email("invalid");
    const invite = (customerId: string | null, input: { email: string; role: string }) => inviteUser({ actor: actorOf(vendorAdmin), customerId, input });

    await expect(invite(customer.id, { email: "not an email", role: "CUSTOMER_MEMBER" })).rejects.toThrow("Enter a valid email address");
    await expect(invite(customer.id, { email: address, role: "VENDOR_OWNER" })).rejects.toThrow("Choose a role: Owner, Member");
    await expect(invite(null, { email: address, role: "CUSTOMER_OWNER" })).rejects.toBeInstanceOf(ZodError);
    await expect(invite(null, { email: address, role: "" })).rejects.toBeInstanceOf(ZodError);
    await expect(invite("no-such-customer", { email: address, role: "CUSTOMER_MEMBER" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.user.count({ where: { email: address } })).toBe(0);
  });
});

describe("removing a user", () => {
  let vendorAdmin: User;
  beforeAll(async () => {
    vendorAdmin = await staff("VENDOR_ADMIN");
  });

  it("removes a customer user only through its own customer, audits it, and reports a second removal as not found", async () => {
    const a = await customerWith("CUSTOMER_OWNER");
    const b = await customerWith("CUSTOMER_OWNER", "CUSTOMER_MEMBER");
    const member = b.users[1]!;
    await db.loginToken.create({ data: { userId: member.id, tokenHash: unique("hash"), expiresAt: new Date(Date.now() + 60_000) } });
    const remove = (customerId: string | null) => removeUser({ actor: actorOf(vendorAdmin), customerId, userId: member.id });

    // A forged id: another customer's user, or a customer user through the team.
    await expect(remove(a.customer.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(remove(null)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.user.findUnique({ where: { id: member.id } })).not.toBeNull();
    expect(await auditEvents("user.removed", member.id)).toEqual([]);

    expect(await remove(b.customer.id)).toMatchObject({ id: member.id, email: member.email });
    expect(await db.user.findUnique({ where: { id: member.id } })).toBeNull();
    expect(await db.loginToken.count({ where: { userId: member.id } })).toBe(0);
    expect(await auditEvents("user.removed", member.id)).toEqual([
      expect.objectContaining({ actorId: vendorAdmin.id, customerId: b.customer.id, data: { userId: member.id, email: member.email, role: "CUSTOMER_MEMBER" } }),
    ]);

    await expect(remove(b.customer.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await auditEvents("user.removed", member.id)).toHaveLength(1);
  });

  it("ends the removed user's sessions at once", async () => {
    const { customer, users } = await customerWith("CUSTOMER_OWNER", "CUSTOMER_MEMBER");
    const member = users[1]!;
    signInAs(member);
    expect(await currentUser()).toMatchObject({ id: member.id });
    await removeUser({ actor: actorOf(vendorAdmin), customerId: customer.id, userId: member.id });
    expect(await currentUser()).toBeNull();
    signInAs(null);
  });

  it("keeps a customer's last owner", async () => {
    const { customer, users } = await customerWith("CUSTOMER_OWNER", "CUSTOMER_MEMBER");
    const owner = users[0]!;
    await expect(removeUser({ actor: actorOf(vendorAdmin), customerId: customer.id, userId: owner.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("only owner"),
    });
    expect(await db.user.findUnique({ where: { id: owner.id } })).not.toBeNull();

    await inviteUser({ actor: actorOf(vendorAdmin), customerId: customer.id, input: { email: email("second-owner"), role: "CUSTOMER_OWNER" } });
    await removeUser({ actor: actorOf(vendorAdmin), customerId: customer.id, userId: owner.id });
    expect(await db.user.findMany({ where: { customerId: customer.id }, select: { role: true } })).toEqual(
      expect.arrayContaining([{ role: "CUSTOMER_OWNER" }, { role: "CUSTOMER_MEMBER" }]),
    );
  });

  it("lets only one of two concurrent removals of a customer's two owners through", async () => {
    // Several customers at once, so the two removals of each really overlap.
    const customers = await Promise.all(Array.from({ length: 8 }, () => customerWith("CUSTOMER_OWNER", "CUSTOMER_OWNER")));
    const outcomes = await Promise.all(
      customers.map(({ customer, users }) =>
        Promise.allSettled(users.map((u) => removeUser({ actor: actorOf(vendorAdmin), customerId: customer.id, userId: u.id }))),
      ),
    );

    for (const pair of outcomes) {
      expect(pair.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
      expect(pair.find((o) => o.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
    }
    const owners = await db.user.groupBy({ by: ["customerId"], where: { customerId: { in: customers.map((c) => c.customer.id) } }, _count: { _all: true } });
    expect(owners.map((o) => o._count._all)).toEqual(customers.map(() => 1));
  });
});

describe("the vendor team's owners", () => {
  let owner: User;
  let admin: User;
  beforeAll(async () => {
    // The team is shared by every test file: this file's owner must be its only one.
    await db.user.updateMany({ where: { customerId: null, role: "VENDOR_OWNER" }, data: { role: "VENDOR_ADMIN" } });
    owner = await staff("VENDOR_OWNER");
    admin = await staff("VENDOR_ADMIN");
  });

  it("refuses removing yourself and removing the last owner", async () => {
    await expect(removeUser({ actor: actorOf(owner), customerId: null, userId: owner.id })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining("cannot remove yourself"),
    });
    await expect(removeUser({ actor: actorOf(admin), customerId: null, userId: owner.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("the team's only owner"),
    });
    expect(await db.user.findUnique({ where: { id: owner.id } })).not.toBeNull();
    expect(await auditEvents("user.removed", owner.id)).toEqual([]);
  });

  it("changes a member's role once, audits it, and keeps an owner", async () => {
    const viewer = await staff("VENDOR_VIEWER");
    const change = (user: User, role: string) => changeStaffRole({ actor: actorOf(owner), userId: user.id, input: { role } });

    expect(await change(viewer, "VENDOR_ADMIN")).toMatchObject({ changed: true, user: { role: "VENDOR_ADMIN" } });
    expect(await change(viewer, "VENDOR_ADMIN")).toMatchObject({ changed: false });
    expect(await auditEvents("user.role_changed", viewer.id)).toEqual([
      expect.objectContaining({ actorId: owner.id, customerId: null, data: { userId: viewer.id, email: viewer.email, from: "VENDOR_VIEWER", to: "VENDOR_ADMIN" } }),
    ]);

    await expect(change(owner, "VENDOR_ADMIN")).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("only owner") });
    await expect(change(viewer, "CUSTOMER_OWNER")).rejects.toBeInstanceOf(ZodError);
    const { users } = await customerWith("CUSTOMER_MEMBER");
    await expect(changeStaffRole({ actor: actorOf(owner), userId: users[0]!.id, input: { role: "VENDOR_OWNER" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.user.findUniqueOrThrow({ where: { id: users[0]!.id } })).toMatchObject({ role: "CUSTOMER_MEMBER" });

    // With a second owner, the first may step down and then be removed.
    await change(viewer, "VENDOR_OWNER");
    expect(await change(owner, "VENDOR_VIEWER")).toMatchObject({ changed: true });
    await change(owner, "VENDOR_OWNER");
    await removeUser({ actor: actorOf(owner), customerId: null, userId: viewer.id });
    expect(await db.user.count({ where: { customerId: null, role: "VENDOR_OWNER" } })).toBe(1);
  });

  it("refuses the team actions to vendor admins before reading their input, and lets owners through", async () => {
    const target = await staff("VENDOR_VIEWER");
    const counts = () => Promise.all([db.user.count(), db.auditEvent.count(), db.loginToken.count()]);
    const form = (fields: Record<string, string>) => {
      const data = new FormData();
      for (const [k, v] of Object.entries(fields)) data.set(k, v);
      return data;
    };
    const refused = { ok: false, error: "You do not have access to this" };

    signInAs(admin);
    const before = await counts();
    expect(await inviteTeamMemberAction(null, form({ email: email("by-admin"), role: "VENDOR_VIEWER" }))).toEqual(refused);
    expect(await inviteTeamMemberAction(null, new FormData())).toEqual(refused);
    expect(await changeTeamRoleAction(target.id, null, form({ role: "VENDOR_OWNER" }))).toEqual(refused);
    expect(await removeTeamMemberAction(target.id)).toEqual(refused);
    expect(await counts()).toEqual(before);
    expect(await db.user.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ role: "VENDOR_VIEWER" });

    // Customer users, though, are any vendor writer's to manage.
    const { customer } = await customerWith("CUSTOMER_OWNER");
    expect(await inviteCustomerUserAction(customer.id, null, form({ email: email("by-admin"), role: "CUSTOMER_MEMBER" }))).toMatchObject({ ok: true });

    signInAs(owner);
    const invited = email("by-owner");
    expect(await inviteTeamMemberAction(null, form({ email: invited, name: "New colleague", role: "VENDOR_ADMIN" }))).toMatchObject({
      ok: true,
      message: expect.stringContaining(`Invited ${invited}`),
    });
    expect(await changeTeamRoleAction(target.id, null, form({ role: "VENDOR_ADMIN" }))).toMatchObject({ ok: true });
    expect(await removeTeamMemberAction(target.id)).toMatchObject({ ok: true });
    expect(await removeTeamMemberAction(owner.id)).toMatchObject({ ok: false, error: expect.stringContaining("cannot remove yourself") });
    expect(await db.user.findUnique({ where: { email: invited } })).toMatchObject({ role: "VENDOR_ADMIN", customerId: null });
    expect(await db.user.findUnique({ where: { id: target.id } })).toBeNull();
    signInAs(null);
  });
});
