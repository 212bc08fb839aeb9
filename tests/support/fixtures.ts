import type { EmulatorRepository } from "@/lib/aws/emulator-bootstrap";

export const FOREIGN_ROLE_NAME = "vendor-ci";

/** A statement Pullgate does not own: the vendor's CI pushing images. It must survive every write. */
export const FOREIGN_STATEMENT = {
  Sid: "VendorCiPush",
  Effect: "Allow",
  // The emulator's account, where the tests create this role.
  Principal: { AWS: `arn:aws:iam::123456789012:role/${FOREIGN_ROLE_NAME}` },
  Action: ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"],
};

export const demoRepositories: EmulatorRepository[] = [
  { name: "acme/analytics-server", tags: ["1.0.0", "1.1.0", "2.0.0"], foreignStatement: FOREIGN_STATEMENT },
  { name: "acme/analytics-worker", tags: ["1.0.0", "2.0.0"] },
  { name: "acme/reporting", tags: ["0.9.0"] },
];
