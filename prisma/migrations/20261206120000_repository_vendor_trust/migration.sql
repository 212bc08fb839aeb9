-- The principal patterns of Pullgate's trust last written to a repository policy in another account.
ALTER TABLE "Repository" ADD COLUMN "vendorTrust" TEXT;
