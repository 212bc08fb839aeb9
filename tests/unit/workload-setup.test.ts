import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  KUBERNETES_SUBJECT,
  ROLE_PLACEHOLDER,
  workloadSetup,
  type WorkloadSetupInput,
  type WorkloadSetupRegistry,
} from "@/lib/workload-identities/workload-setup";

const ROLE = "arn:aws:iam::111122223333:role/pullgate/pullgate-workload-cust1";
const FRANKFURT: WorkloadSetupRegistry = { region: "eu-central-1", host: "111122223333.dkr.ecr.eu-central-1.amazonaws.com" };
const VIRGINIA: WorkloadSetupRegistry = { region: "us-east-1", host: "111122223333.dkr.ecr.us-east-1.amazonaws.com" };
const input: WorkloadSetupInput = { roleArn: ROLE, registries: [FRANKFURT] };

const steps = (i: WorkloadSetupInput = input) => workloadSetup(i).flatMap((p) => p.steps);
const command = (id: string, i: WorkloadSetupInput = input) => {
  const found = steps(i).find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found.command;
};

// js-yaml ships with the lint toolchain and has no type declarations of its own.
const yaml = createRequire(import.meta.url)("js-yaml") as { loadAll(text: string): unknown[] };

/** Every document of a YAML text; throws on a syntax error. */
const yamlDocuments = (text: string) => yaml.loadAll(text) as Record<string, unknown>[];
const yamlDocument = (text: string) => yamlDocuments(text)[0]!;

/** What a customer pastes after replacing the placeholders in angle brackets. */
const filledIn = (text: string) =>
  text
    .replaceAll(ROLE_PLACEHOLDER, "arn:aws:iam::444455556666:role/pullgate-workload-x")
    .replaceAll("<registry host>", "444455556666.dkr.ecr.eu-west-1.amazonaws.com")
    .replaceAll("<region>", "eu-west-1")
    .replaceAll("<repository>", "acme/server")
    .replaceAll("<tag>", "1.0.0")
    .replaceAll("<cluster>", "prod");

/** sh's verdict on a script's syntax: empty when it parses. */
function shellSyntax(script: string) {
  const result = spawnSync("sh", ["-n"], { input: script, encoding: "utf8" });
  return result.status === 0 ? "" : result.stderr || `exit ${result.status}`;
}

type Workflow = { permissions: unknown; on: unknown; jobs: { pull: { "runs-on": string; steps: { name: string; uses?: string; with?: Record<string, string>; run?: string }[] } } };
type GitlabJob = { "pull-images": { id_tokens: unknown; script: string[]; image: string; services: string[] } };
type K8sObject = { kind: string; apiVersion: string; metadata: { name: string; namespace: string }; [key: string]: unknown };
type CronPod = {
  serviceAccountName: string;
  containers: { image: string; command: string[]; args: string[]; env: { name: string; value: string }[]; volumeMounts: unknown[] }[];
  volumes: unknown[];
};
const cronPod = (cron: K8sObject) => (cron.spec as { jobTemplate: { spec: { template: { spec: CronPod } } } }).jobTemplate.spec.template.spec;

/** Scripts every set-up runs: the GitLab job's, the renewer's, and each one-line command. */
function shellScripts(i: WorkloadSetupInput) {
  const gitlab = yamlDocument(filledIn(command("workload-gitlab-job", i))) as GitlabJob;
  const workflow = yamlDocument(filledIn(command("workload-github-workflow", i))) as Workflow;
  const cron = yamlDocuments(filledIn(command("workload-kubernetes-renewer", i))).find((o) => o.kind === "CronJob") as K8sObject;
  return {
    "gitlab script": gitlab["pull-images"].script.join("\n"),
    ...Object.fromEntries(workflow.jobs.pull.steps.filter((s) => s.run).map((s) => [`github ${s.name}`, s.run!])),
    "kubernetes renewer": cronPod(cron).containers[0]!.args[0]!,
    "kubernetes issuer": filledIn(command("workload-kubernetes-issuer", i)),
    "kubernetes first run": filledIn(command("workload-kubernetes-first-run", i)),
  };
}

describe("workloadSetup", () => {
  it("offers GitHub Actions, GitLab CI/CD and Kubernetes, the kinds the customer trusts first", () => {
    expect(workloadSetup(input).map((p) => [p.id, p.steps.map((s) => s.id)])).toEqual([
      ["workload-github", ["workload-github-workflow"]],
      ["workload-gitlab", ["workload-gitlab-job"]],
      [
        "workload-kubernetes",
        ["workload-kubernetes-subject", "workload-kubernetes-issuer", "workload-kubernetes-renewer", "workload-kubernetes-first-run", "workload-kubernetes-pod"],
      ],
    ]);
    expect(workloadSetup({ ...input, registeredKinds: ["KUBERNETES", "OTHER"] }).map((p) => p.id)).toEqual(["workload-kubernetes", "workload-github", "workload-gitlab"]);
  });

  it("gives a GitHub Actions workflow that assumes the role with the job's token, logs in with amazon-ecr-login and pulls", () => {
    const workflow = yamlDocument(command("workload-github-workflow")) as Workflow;
    expect(workflow.permissions).toEqual({ "id-token": "write", contents: "read" });
    expect(workflow.jobs.pull["runs-on"]).toBe("ubuntu-latest");
    expect(workflow.jobs.pull.steps).toEqual([
      {
        name: "Assume your Pullgate role",
        uses: "aws-actions/configure-aws-credentials@v4",
        // No audience: the action asks for sts.amazonaws.com, the one registered.
        with: { "role-to-assume": ROLE, "aws-region": "eu-central-1", "role-session-name": "github-actions" },
      },
      { name: "Log in to the registry", uses: "aws-actions/amazon-ecr-login@v2" },
      { name: "Pull", run: `docker pull ${FRANKFURT.host}/<repository>:<tag>\n` },
    ]);
  });

  it("asks GitHub for the audience the customer registered when it is not the default", () => {
    const workflow = yamlDocument(command("workload-github-workflow", { ...input, audiences: { GITHUB_ACTIONS: "pullgate" } })) as Workflow;
    expect(workflow.jobs.pull.steps[0]!.with).toMatchObject({ audience: "pullgate" });
    // Quoted where YAML would read it as something else than a string.
    const numeric = yamlDocument(command("workload-github-workflow", { ...input, audiences: { GITHUB_ACTIONS: "12345" } })) as Workflow;
    expect(numeric.jobs.pull.steps[0]!.with).toMatchObject({ audience: "12345" });
  });

  it("logs in to every registry and pulls from each when the products live in several regions", () => {
    const workflow = yamlDocument(command("workload-github-workflow", { ...input, registries: [FRANKFURT, VIRGINIA] })) as Workflow;
    const steps = workflow.jobs.pull.steps;
    expect(steps[0]!.with!["aws-region"]).toBe("eu-central-1");
    expect(steps[2]).toEqual({
      name: `Log in to ${VIRGINIA.host}`,
      run: `aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin ${VIRGINIA.host}`,
    });
    expect(steps[3]!.run).toBe(`docker pull ${FRANKFURT.host}/<repository>:<tag>\ndocker pull ${VIRGINIA.host}/<repository>:<tag>\n`);

    const gitlab = (yamlDocument(command("workload-gitlab-job", { ...input, registries: [FRANKFURT, VIRGINIA] })) as GitlabJob)["pull-images"].script;
    expect(gitlab.filter((line) => line.includes("docker login"))).toHaveLength(2);
    expect(gitlab.filter((line) => line.startsWith("docker pull"))).toEqual([`docker pull ${FRANKFURT.host}/<repository>:<tag>`, `docker pull ${VIRGINIA.host}/<repository>:<tag>`]);

    const pod = yamlDocument(command("workload-kubernetes-pod", { ...input, registries: [FRANKFURT, VIRGINIA] })) as { spec: { imagePullSecrets: unknown } };
    expect(pod.spec.imagePullSecrets).toEqual([{ name: "pullgate-registry-eu-central-1" }, { name: "pullgate-registry-us-east-1" }]);
  });

  it("gives a GitLab job that asks for an ID token for the registered audience and assumes the role with it for an hour", () => {
    const job = (yamlDocument(command("workload-gitlab-job")) as GitlabJob)["pull-images"];
    expect(job.id_tokens).toEqual({ AWS_TOKEN: { aud: "sts.amazonaws.com" } });
    expect(job.script.join("\n")).toContain(
      `aws sts assume-role-with-web-identity --role-arn ${ROLE} --role-session-name "gitlab-$CI_JOB_ID" --web-identity-token "$AWS_TOKEN" --duration-seconds 3600 --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text`,
    );
    expect(job.script).toContain(`aws ecr get-login-password --region eu-central-1 | docker login --username AWS --password-stdin ${FRANKFURT.host}`);
    expect(job.script.at(-1)).toBe(`docker pull ${FRANKFURT.host}/<repository>:<tag>`);
    const custom = (yamlDocument(command("workload-gitlab-job", { ...input, audiences: { GITLAB_CI: "https://gitlab.example" } })) as GitlabJob)["pull-images"];
    expect(custom.id_tokens).toEqual({ AWS_TOKEN: { aud: "https://gitlab.example" } });
  });

  it("runs the GitLab script: the role's three credentials are exported, then Docker logs in and pulls", () => {
    const script = (yamlDocument(filledIn(command("workload-gitlab-job"))) as GitlabJob)["pull-images"].script;
    // A scratch bin with stand-ins: apk does nothing, aws answers as the CLI does, docker records what it is given.
    const dir = mkdtempSync(path.join(tmpdir(), "gitlab-job-"));
    const tool = (name: string, body: string) => {
      writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`);
      chmodSync(path.join(dir, name), 0o755);
    };
    tool("apk", "exit 0");
    tool(
      "aws",
      [
        'echo "aws $*" >> "$LOG"',
        'case "$1 $2" in',
        "  'sts assume-role-with-web-identity') printf 'ASIAEXAMPLE\\tsecret/key+1\\tsession/token=\\n' ;;",
        "  'ecr get-login-password') printf 'REGISTRY-PASSWORD\\n' ;;",
        "esac",
      ].join("\n"),
    );
    tool("docker", 'echo "docker $* key=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY session=$AWS_SESSION_TOKEN stdin=$(cat)" >> "$LOG"');
    const log = path.join(dir, "log");
    execFileSync("/bin/sh", ["-ec", script.join("\n")], {
      env: { ...({} as NodeJS.ProcessEnv), PATH: `${dir}:${process.env.PATH}`, LOG: log, CI_JOB_ID: "42", AWS_TOKEN: "header.payload.signature" },
      input: "",
    });
    const lines = readFileSync(log, "utf8").trim().split("\n");
    expect(lines[0]).toContain("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/pullgate/pullgate-workload-cust1 --role-session-name gitlab-42 --web-identity-token header.payload.signature");
    expect(lines).toContain("aws ecr get-login-password --region eu-central-1");
    expect(lines).toContain(
      `docker login --username AWS --password-stdin ${FRANKFURT.host} key=ASIAEXAMPLE secret=secret/key+1 session=session/token= stdin=REGISTRY-PASSWORD`,
    );
    expect(lines.at(-1)).toMatch(new RegExp(`^docker pull ${FRANKFURT.host}/acme/server:1\\.0\\.0 key=ASIAEXAMPLE `));
  });

  it("shows the subject a cluster must register: the renewer's service account", () => {
    expect(command("workload-kubernetes-subject")).toBe("system:serviceaccount:default:pullgate-workload-renew");
    expect(KUBERNETES_SUBJECT).toBe("system:serviceaccount:default:pullgate-workload-renew");
    expect(command("workload-kubernetes-issuer")).toBe("aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer --output text");
  });

  it("renews the pull secret every 15 minutes with the service account's projected token, allowed only that secret", () => {
    const objects = yamlDocuments(command("workload-kubernetes-renewer")) as K8sObject[];
    expect(objects.map((o) => [o.kind, o.metadata.name, o.metadata.namespace])).toEqual([
      ["ServiceAccount", "pullgate-workload-renew", "default"],
      ["Role", "pullgate-workload-renew", "default"],
      ["RoleBinding", "pullgate-workload-renew", "default"],
      ["CronJob", "pullgate-workload-renew", "default"],
    ]);
    const [, role, binding, cron] = objects as [K8sObject, K8sObject, K8sObject, K8sObject];
    expect(role.rules).toEqual([
      { apiGroups: [""], resources: ["secrets"], resourceNames: ["pullgate-registry"], verbs: ["get", "patch"] },
      { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
    ]);
    expect(binding).toMatchObject({
      subjects: [{ kind: "ServiceAccount", name: "pullgate-workload-renew", namespace: "default" }],
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pullgate-workload-renew" },
    });
    expect(cron).toMatchObject({ apiVersion: "batch/v1", spec: { schedule: "*/15 * * * *", concurrencyPolicy: "Forbid" } });
    const pod = cronPod(cron);
    expect(pod.serviceAccountName).toBe("pullgate-workload-renew");
    expect(pod.volumes).toEqual([
      { name: "aws-token", projected: { sources: [{ serviceAccountToken: { path: "token", audience: "sts.amazonaws.com", expirationSeconds: 3600 } }] } },
    ]);
    const [container] = pod.containers;
    expect(container).toMatchObject({ image: "alpine/k8s:1.31.0", command: ["/bin/sh", "-c"] });
    expect(container!.volumeMounts).toEqual([{ name: "aws-token", mountPath: "/var/run/secrets/pullgate", readOnly: true }]);
    expect(container!.env).toEqual([
      { name: "AWS_ROLE_ARN", value: ROLE },
      { name: "AWS_WEB_IDENTITY_TOKEN_FILE", value: "/var/run/secrets/pullgate/token" },
      { name: "AWS_ROLE_SESSION_NAME", value: "pullgate-workload-renew" },
    ]);
    expect(container!.args[0]).toContain(
      `kubectl create secret docker-registry pullgate-registry --namespace default --docker-server=${FRANKFURT.host} --docker-username=AWS --docker-password="$password" --dry-run=client -o yaml | kubectl apply -f -`,
    );
    const audience = yamlDocuments(command("workload-kubernetes-renewer", { ...input, audiences: { KUBERNETES: "pullgate" } }));
    expect(JSON.stringify(audience)).toContain('"audience":"pullgate"');
  });

  it("runs the renewer's script: the registry password goes to kubectl, and a failed login stops it", () => {
    const cron = (yamlDocuments(command("workload-kubernetes-renewer")) as K8sObject[]).find((o) => o.kind === "CronJob")!;
    const script = cronPod(cron).containers[0]!.args[0]!;
    const dir = mkdtempSync(path.join(tmpdir(), "renewer-"));
    const log = path.join(dir, "log");
    const run = (awsBody: string) => {
      writeFileSync(path.join(dir, "aws"), `#!/bin/sh\n${awsBody}\n`, { mode: 0o755 });
      writeFileSync(path.join(dir, "kubectl"), `#!/bin/sh\necho "kubectl $*" >> "${log}"\n`, { mode: 0o755 });
      return spawnSync("/bin/sh", ["-c", script], { env: { ...({} as NodeJS.ProcessEnv), PATH: `${dir}:${process.env.PATH}` }, encoding: "utf8" });
    };
    expect(run("printf 'REGISTRY-PASSWORD'").status).toBe(0);
    expect(readFileSync(log, "utf8")).toContain(`kubectl create secret docker-registry pullgate-registry --namespace default --docker-server=${FRANKFURT.host} --docker-username=AWS --docker-password=REGISTRY-PASSWORD --dry-run=client -o yaml`);
    writeFileSync(log, "");
    expect(run("exit 255").status).not.toBe(0);
    expect(readFileSync(log, "utf8")).toBe("");
  });

  it("references the pull secret from a pod", () => {
    expect(yamlDocument(command("workload-kubernetes-pod"))).toMatchObject({
      kind: "Pod",
      metadata: { namespace: "default" },
      spec: { imagePullSecrets: [{ name: "pullgate-registry" }], containers: [{ image: `${FRANKFURT.host}/<repository>:<tag>` }] },
    });
  });

  it("parses as YAML and as sh everywhere, with the role still to be made and no registry yet too", () => {
    for (const i of [input, { ...input, registries: [FRANKFURT, VIRGINIA] }, { roleArn: null, registries: [] }]) {
      for (const id of ["workload-github-workflow", "workload-gitlab-job", "workload-kubernetes-renewer", "workload-kubernetes-pod"]) {
        expect(() => yamlDocuments(filledIn(command(id, i))), id).not.toThrow();
      }
      for (const [name, script] of Object.entries(shellScripts(i))) expect(shellSyntax(script), name).toBe("");
    }
  });

  it("names the role, region and registry where the customer has them, and placeholders until then", () => {
    const all = steps().map((s) => s.command).join("\n");
    expect(all).not.toContain(ROLE_PLACEHOLDER);
    expect(all).not.toMatch(/<region>|<registry host>/);

    const early = steps({ roleArn: null, registries: [] });
    const text = (id: string) => early.find((s) => s.id === id)!.command;
    expect(text("workload-github-workflow")).toContain("role-to-assume: <role ARN>\n          aws-region: <region>\n");
    expect(text("workload-github-workflow")).toContain("docker pull <registry host>/<repository>:<tag>");
    expect(text("workload-gitlab-job")).toContain("--role-arn <role ARN> ");
    expect(text("workload-gitlab-job")).toContain("--password-stdin <registry host>");
    expect(text("workload-kubernetes-renewer")).toContain('value: "<role ARN>"');
    expect(text("workload-kubernetes-renewer")).toContain("--docker-server=<registry host> ");
    expect(early.find((s) => s.id === "workload-kubernetes-renewer")!.description).toContain("eks.amazonaws.com/role-arn: <role ARN>");
  });

  it("inlines no secret and asks for none: every credential comes from the workload's own token", () => {
    for (const i of [input, { roleArn: null, registries: [] }]) {
      for (const step of steps(i)) {
        const text = `${step.command}\n${step.description}`;
        expect(text, step.id).not.toMatch(/secrets\.|<your|secret access key|AKIA|undefined|null|\$\{\{/i);
        // No credentials file entry, and the session's credentials only ever read from the CLI's answer.
        expect(text, step.id).not.toMatch(/aws_secret_access_key\s*=/);
        expect(text, step.id).not.toMatch(/AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)=(?!\$\(printf)/);
        // Placeholders are only the customer's own choices, and the role until it exists.
        const placeholders = new Set(text.match(/<[^<>\n]+>/g) ?? []);
        const allowed = ["<role ARN>", "<region>", "<registry host>", "<repository>", "<tag>", "<repository>:<tag>", "<cluster>", "<owner>", "<name>", "<group>", "<project>"];
        expect([...placeholders].filter((p) => !allowed.includes(p)), step.id).toEqual([]);
      }
    }
  });
});
