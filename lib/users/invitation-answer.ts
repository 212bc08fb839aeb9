/** What happened to the invitation email: the user exists either way. */
export type InvitationEmail = "sent" | "rate-limited" | "failed";

/** What an invitation's answer may say: the address, not whose user it is. */
export type InvitationAnswer = { user: { email: string }; created: boolean; email: InvitationEmail };
