-- Invitations a customer owner made of addresses that belong elsewhere: listed, never sent.
CREATE TABLE "WithheldInvitation" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "UserRole" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3)[],

    CONSTRAINT "WithheldInvitation_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "WithheldInvitation_customerId_email_key" ON "WithheldInvitation"("customerId", "email");

ALTER TABLE "WithheldInvitation" ADD CONSTRAINT "WithheldInvitation_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
