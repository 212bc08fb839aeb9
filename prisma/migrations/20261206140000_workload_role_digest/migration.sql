-- What was last written to each customer's workload role, so an unchanged role needs no IAM read.
ALTER TABLE "Customer" ADD COLUMN "workloadRoleDigest" TEXT;
