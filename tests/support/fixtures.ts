import type { EmulatorRepository } from "@/lib/aws/emulator-bootstrap";

/** A statement Pullgate does not own: the vendor's CI pushing images. It must survive every write. */
export const FOREIGN_STATEMENT = {
  Sid: "VendorCiPush",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::123456789012:role/vendor-ci" },
  Action: ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"],
};

export const demoRepositories: EmulatorRepository[] = [
  { name: "acme/analytics-server", tags: ["1.0.0", "1.1.0", "2.0.0"], foreignStatement: FOREIGN_STATEMENT },
  { name: "acme/analytics-worker", tags: ["1.0.0", "2.0.0"] },
  { name: "acme/reporting", tags: ["0.9.0"] },
];
