import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatSize } from "@/components/customer/tag-list";
import { pullInstructions, SECRET_PLACEHOLDER, type InstructionInput } from "@/lib/customers/pull-instructions";

// js-yaml ships with the lint toolchain and has no type declarations of its own.
const yaml = createRequire(import.meta.url)("js-yaml") as { loadAll(text: string): unknown[] };

const input: InstructionInput = {
  accountId: "111122223333",
  region: "eu-central-1",
  profile: "acme-pull",
  accessKeyId: "AKIAEXAMPLE000000001",
  repositories: [
    { name: "acme/analytics-server", tag: "2.0.0" },
    { name: "acme/analytics_worker", tag: null },
  ],
};
const REGISTRY = "111122223333.dkr.ecr.eu-central-1.amazonaws.com";
const SERVER = `${REGISTRY}/acme/analytics-server:2.0.0`;
const WORKER = `${REGISTRY}/acme/analytics_worker:latest`;
const PASSWORD = "aws ecr get-login-password --region eu-central-1 --profile acme-pull";

const steps = (i: InstructionInput = input) => pullInstructions(i).flatMap((p) => p.steps);
const command = (id: string, i: InstructionInput = input) => {
  const found = steps(i).find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found.command;
};
const lines = (id: string) => command(id).split("\n");

type K8sObject = { kind: string; metadata: { name: string; namespace: string }; [key: string]: unknown };
const manifests = (id: string) => yaml.loadAll(command(id)) as K8sObject[];

describe("pullInstructions", () => {
  it("uses the registry host of the region's partition: amazonaws.com.cn in China", () => {
    const china = { ...input, region: "cn-north-1" };
    expect(command("docker-login", china)).toContain("--password-stdin 111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn");
    expect(command("docker-pull", china)).toContain("docker pull 111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/acme/analytics-server:2.0.0");
  });

  it("groups the steps by platform, AWS CLI and Docker first", () => {
    expect(pullInstructions(input).map((p) => [p.id, p.steps.map((s) => s.id)])).toEqual([
      ["docker", ["aws-profile", "aws-credentials-file", "docker-login", "docker-pull"]],
      ["podman", ["podman-login", "podman-pull"]],
      ["skopeo", ["skopeo-login", "skopeo-inspect", "skopeo-copy"]],
      ["powershell", ["powershell-login", "powershell-pull"]],
      ["credential-helper", ["credential-helper-config", "credential-helper-pull"]],
      ["helm", ["helm-login", "helm-pull"]],
      ["kubernetes", ["kubernetes-secret", "kubernetes-deployment", "kubernetes-aws-key", "kubernetes-refresh"]],
      ["http-api", ["http-api-token", "http-api-tags", "http-api-manifest"]],
    ]);
  });

  it("leaves no placeholder but the secret, which the page never knows", () => {
    for (const step of steps()) {
      const text = `${step.command}\n${step.description}`.replaceAll(SECRET_PLACEHOLDER, "");
      expect(text, step.id).not.toMatch(/<[a-z ]+>|\$\{|undefined|null|\b(HOST|REGION|PROFILE|REPO|TAG)\b/);
    }
  });

  it("sets up the profile interactively or as a credentials file", () => {
    expect(command("aws-profile")).toBe("aws configure --profile acme-pull");
    expect(steps().find((s) => s.id === "aws-profile")?.description).toContain("access key ID AKIAEXAMPLE000000001");
    expect(lines("aws-credentials-file")).toEqual([
      "[acme-pull]",
      "aws_access_key_id = AKIAEXAMPLE000000001",
      "aws_secret_access_key = <your secret access key>",
    ]);
  });

  it("uses a placeholder for the key ID when the customer has no key yet", () => {
    expect(command("aws-credentials-file", { ...input, accessKeyId: null })).toContain("aws_access_key_id = <your access key id>");
  });

  it("logs in and pulls with Docker", () => {
    expect(command("docker-login")).toBe(`${PASSWORD} | docker login --username AWS --password-stdin ${REGISTRY}`);
    expect(lines("docker-pull")).toEqual([`docker pull ${SERVER}`, `docker pull ${WORKER}`]);
  });

  it("logs in and pulls with Podman", () => {
    expect(command("podman-login")).toBe(`${PASSWORD} | podman login --username AWS --password-stdin ${REGISTRY}`);
    expect(lines("podman-pull")).toEqual([`podman pull ${SERVER}`, `podman pull ${WORKER}`]);
  });

  it("logs in, inspects and copies with skopeo", () => {
    expect(command("skopeo-login")).toBe(`${PASSWORD} | skopeo login --username AWS --password-stdin ${REGISTRY}`);
    expect(lines("skopeo-inspect")).toEqual([`skopeo inspect docker://${SERVER}`, `skopeo inspect docker://${WORKER}`]);
    expect(lines("skopeo-copy")).toEqual([
      `skopeo copy docker://${SERVER} oci-archive:analytics-server-2.0.0.tar`,
      `skopeo copy docker://${WORKER} oci-archive:analytics-worker-latest.tar`,
    ]);
  });

  it("logs in from PowerShell with Get-ECRLoginCommand, then pulls the same images", () => {
    expect(command("powershell-login")).toBe(
      `(Get-ECRLoginCommand -Region eu-central-1 -ProfileName acme-pull).Password | docker login --username AWS --password-stdin ${REGISTRY}`,
    );
    expect(lines("powershell-pull")).toEqual([`docker pull ${SERVER}`, `docker pull ${WORKER}`]);
  });

  it("configures the ECR credential helper for this registry only", () => {
    expect(JSON.parse(command("credential-helper-config"))).toEqual({ credHelpers: { [REGISTRY]: "ecr-login" } });
    expect(lines("credential-helper-pull")).toEqual([
      `AWS_PROFILE=acme-pull docker pull ${SERVER}`,
      `AWS_PROFILE=acme-pull docker pull ${WORKER}`,
    ]);
  });

  it("pulls Helm charts by version, letting Helm pick one when there is no tag", () => {
    expect(command("helm-login")).toBe(`${PASSWORD} | helm registry login --username AWS --password-stdin ${REGISTRY}`);
    expect(lines("helm-pull")).toEqual([
      `helm pull oci://${REGISTRY}/acme/analytics-server --version 2.0.0`,
      `helm pull oci://${REGISTRY}/acme/analytics_worker`,
    ]);
  });

  it("creates the Kubernetes pull secret and the key secret from the profile", () => {
    expect(command("kubernetes-secret")).toBe(
      `kubectl create secret docker-registry acme-pull-registry --docker-server=${REGISTRY} --docker-username=AWS --docker-password="$(${PASSWORD})" --namespace default`,
    );
    expect(command("kubernetes-aws-key")).toBe(
      "kubectl create secret generic acme-pull-aws-key --namespace default" +
        ' --from-literal=AWS_ACCESS_KEY_ID="$(aws configure get aws_access_key_id --profile acme-pull)"' +
        ' --from-literal=AWS_SECRET_ACCESS_KEY="$(aws configure get aws_secret_access_key --profile acme-pull)"',
    );
  });

  it("references the pull secret from a valid Deployment per image", () => {
    const [server, worker] = manifests("kubernetes-deployment") as [K8sObject, K8sObject];
    expect(server).toMatchObject({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "analytics-server", namespace: "default" },
      spec: {
        selector: { matchLabels: { app: "analytics-server" } },
        template: {
          metadata: { labels: { app: "analytics-server" } },
          spec: { imagePullSecrets: [{ name: "acme-pull-registry" }], containers: [{ name: "analytics-server", image: SERVER }] },
        },
      },
    });
    expect(worker).toMatchObject({ metadata: { name: "analytics-worker" }, spec: { template: { spec: { containers: [{ image: WORKER }] } } } });
  });

  it("renews the pull secret with a CronJob well inside the 12-hour token life", () => {
    const objects = manifests("kubernetes-refresh");
    expect(objects.map((o) => [o.kind, o.metadata.name, o.metadata.namespace])).toEqual([
      ["ServiceAccount", "acme-pull-registry-refresh", "default"],
      ["Role", "acme-pull-registry-refresh", "default"],
      ["RoleBinding", "acme-pull-registry-refresh", "default"],
      ["CronJob", "acme-pull-registry-refresh", "default"],
    ]);
    const [, role, binding, cron] = objects as [K8sObject, K8sObject, K8sObject, K8sObject];
    expect(role.rules).toEqual([
      { apiGroups: [""], resources: ["secrets"], resourceNames: ["acme-pull-registry"], verbs: ["get", "patch"] },
      { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
    ]);
    expect(binding).toMatchObject({
      subjects: [{ kind: "ServiceAccount", name: "acme-pull-registry-refresh", namespace: "default" }],
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "acme-pull-registry-refresh" },
    });
    expect(cron).toMatchObject({ apiVersion: "batch/v1", spec: { schedule: "0 */6 * * *", concurrencyPolicy: "Forbid" } });

    const pod = (cron.spec as { jobTemplate: { spec: { template: { spec: Record<string, unknown> } } } }).jobTemplate.spec.template.spec;
    expect(pod).toMatchObject({
      serviceAccountName: "acme-pull-registry-refresh",
      volumes: [{ name: "token", emptyDir: { medium: "Memory" } }],
      initContainers: [
        {
          image: "amazon/aws-cli:latest",
          command: ["/bin/sh", "-c"],
          envFrom: [{ secretRef: { name: "acme-pull-aws-key" } }],
          volumeMounts: [{ name: "token", mountPath: "/token" }],
        },
      ],
      containers: [
        {
          image: "registry.k8s.io/kubectl:v1.31.0",
          command: ["kubectl", "apply", "-f", "/token/secret.yaml"],
          volumeMounts: [{ name: "token", mountPath: "/token", readOnly: true }],
        },
      ],
    });
  });

  it("writes a pull secret Kubernetes accepts, holding the renewed token for the registry", () => {
    const cron = manifests("kubernetes-refresh").find((o) => o.kind === "CronJob")!;
    const init = (cron.spec as { jobTemplate: { spec: { template: { spec: { initContainers: { args: string[] }[] } } } } }).jobTemplate.spec.template.spec
      .initContainers[0]!;
    // The init script, run by a real shell with a stand-in `aws` and a scratch directory for /token.
    const dir = mkdtempSync(path.join(tmpdir(), "pull-secret-"));
    writeFileSync(path.join(dir, "aws"), "#!/bin/sh\nprintf 'TOKEN-FROM-ECR'\n", { mode: 0o755 });
    execFileSync("/bin/sh", ["-c", init.args[0]!.replaceAll("/token/", `${dir}/`)], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
    const [secret] = yaml.loadAll(readFileSync(path.join(dir, "secret.yaml"), "utf8")) as { metadata: object; type: string; data: Record<string, string> }[];
    expect(secret).toMatchObject({ metadata: { name: "acme-pull-registry", namespace: "default" }, type: "kubernetes.io/dockerconfigjson" });
    const config = JSON.parse(Buffer.from(secret!.data[".dockerconfigjson"]!, "base64").toString("utf8"));
    expect(config).toEqual({ auths: { [REGISTRY]: { auth: Buffer.from("AWS:TOKEN-FROM-ECR").toString("base64") } } });
  });

  it("keeps Kubernetes names within their limits for the longest product slug", () => {
    const profile = `${"a".repeat(30)}-${"b".repeat(29)}`;
    const objects = yaml.loadAll(command("kubernetes-refresh", { ...input, profile })) as K8sObject[];
    const cron = objects.find((o) => o.kind === "CronJob")!;
    expect(cron.metadata.name.length).toBeLessThanOrEqual(52);
    expect(cron.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it("reads tags and manifests over the registry HTTP API", () => {
    expect(command("http-api-token")).toBe(`TOKEN=$(${PASSWORD})`);
    expect(lines("http-api-tags")).toEqual([
      `curl -s -u "AWS:$TOKEN" https://${REGISTRY}/v2/acme/analytics-server/tags/list`,
      `curl -s -u "AWS:$TOKEN" https://${REGISTRY}/v2/acme/analytics_worker/tags/list`,
    ]);
    const accept =
      "Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, " +
      "application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json";
    expect(lines("http-api-manifest")).toEqual([
      `curl -s -u "AWS:$TOKEN" -H "${accept}" https://${REGISTRY}/v2/acme/analytics-server/manifests/2.0.0`,
      `curl -s -u "AWS:$TOKEN" -H "${accept}" https://${REGISTRY}/v2/acme/analytics_worker/manifests/latest`,
    ]);
  });
});

describe("formatSize", () => {
  it("shows image sizes in decimal units with one decimal", () => {
    expect([0, 999, 1000, 123_456_789, 999_960, 2_500_000_000].map(formatSize)).toEqual([
      "0 B",
      "999 B",
      "1.0 kB",
      "123.5 MB",
      "1.0 MB",
      "2.5 GB",
    ]);
  });
});
