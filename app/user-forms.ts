import type { InvitationAnswer } from "@/lib/users/invitation-answer";
import type { InviteInput } from "@/lib/users/invite-user";
import { text } from "@/app/form-values";

// Shared by every action that invites or removes users: the vendor team's, an admin's on a customer, a customer owner's.

export const inviteInput = (formData: FormData): InviteInput => ({
  email: text(formData, "email") ?? "",
  name: text(formData, "name"),
  role: text(formData, "role") ?? "",
});

export function invitationMessage({ user, created, email }: InvitationAnswer) {
  const done = created ? `Invited ${user.email}.` : `${user.email} was already invited.`;
  switch (email) {
    case "sent":
      return `${done} ${created ? "An" : "A new"} invitation email is on its way.`;
    case "rate-limited":
      return `${done} No email was sent: this address got too many sign-in emails in the last 15 minutes. Try again later.`;
    case "failed":
      return `${done} The invitation email could not be sent; invite them again to retry.`;
  }
}

export const removalMessage = (user: { email: string }) => `Removed ${user.email}; any session they had open has ended.`;
