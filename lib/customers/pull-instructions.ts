// Exact commands a customer copies to log in to the vendor's registry and pull, per platform.
import { registryHost } from "@/lib/aws/ecr";

export type InstructionInput = {
  accountId: string;
  region: string;
  repositories: { name: string; tag: string | null }[];
  accessKeyId: string | null;
  profile: string;
};

export type InstructionBlock = { id: string; title: string; description: string; command: string };

export function pullInstructions({ accountId, region, repositories, accessKeyId, profile }: InstructionInput): InstructionBlock[] {
  const registry = registryHost(accountId, region);
  const pulls = repositories.map((r) => `${registry}/${r.name}:${r.tag ?? "latest"}`);
  const keyId = accessKeyId ?? "<your access key id>";
  return [
    {
      id: "aws-profile",
      title: "1. Save your access key as an AWS CLI profile",
      description: `Paste the secret access key when asked. The profile keeps these credentials apart from any others you use.`,
      command: [
        `aws configure set aws_access_key_id ${keyId} --profile ${profile}`,
        `aws configure set aws_secret_access_key <your secret access key> --profile ${profile}`,
        `aws configure set region ${region} --profile ${profile}`,
      ].join("\n"),
    },
    {
      id: "docker-login",
      title: "2. Log in to the registry",
      description: "The password is a registry token valid for 12 hours; run this again when it expires.",
      command: `aws ecr get-login-password --region ${region} --profile ${profile} | docker login --username AWS --password-stdin ${registry}`,
    },
    {
      id: "docker-pull",
      title: "3. Pull the images",
      description: "Replace the tag with any version listed below.",
      command: pulls.map((p) => `docker pull ${p}`).join("\n"),
    },
    {
      id: "powershell",
      title: "Windows PowerShell",
      description: "With the AWS Tools for PowerShell (module AWS.Tools.ECR) and the same profile.",
      command: [
        `(Get-ECRLoginCommand -Region ${region} -ProfileName ${profile}).Password | docker login --username AWS --password-stdin ${registry}`,
        ...pulls.map((p) => `docker pull ${p}`),
      ].join("\n"),
    },
  ];
}
