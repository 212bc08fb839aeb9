// Exact set-ups a customer copies to pull with workload identity federation: a GitHub Actions
// workflow, a GitLab CI/CD job, and a Kubernetes pull-secret renewer. Each assumes the customer's
// workload role with the workload's own OIDC token; no key or secret appears anywhere.
import { WORKLOAD_SESSION_SECONDS } from "@/lib/aws/workload-role";
import { applyPullSecretCommand, pullSecretName, pullSecretPodYaml, renewerYaml, shellContainerYaml } from "@/lib/customers/kubernetes-renewer";
import type { InstructionPlatform } from "@/lib/customers/pull-instructions";

export type WorkloadSetupRegistry = { region: string; host: string };

export type WorkloadSetupInput = {
  /** The customer's workload role; null until Pullgate has made it. */
  roleArn: string | null;
  registries: WorkloadSetupRegistry[];
  /** The audience of the first workload the customer trusts of each kind; the preset's default otherwise. */
  audiences?: Partial<Record<WorkloadSetupKind, string>>;
  /** The kinds the customer trusts, so their set-ups come first. */
  registeredKinds?: string[];
};

export type WorkloadSetupKind = "GITHUB_ACTIONS" | "GITLAB_CI" | "KUBERNETES";

export const ROLE_PLACEHOLDER = "<role ARN>";
/** What every preset's tokens are issued for unless the customer registered another audience. */
export const DEFAULT_AUDIENCE = "sts.amazonaws.com";
/** Stands in for the registry while no product with repositories offers federation: the steps still show their shape. */
const NO_REGISTRY: WorkloadSetupRegistry = { host: "<registry host>", region: "<region>" };
const IMAGE = "<repository>:<tag>";

export const KUBERNETES_NAMESPACE = "default";
/** The renewer's service account (and Role, RoleBinding and CronJob): apart from the pull-token renewer's. */
export const KUBERNETES_SERVICE_ACCOUNT = "pullgate-workload-renew";
/** The subject a cluster's tokens for the renewer carry: what the customer registers. */
export const KUBERNETES_SUBJECT = `system:serviceaccount:${KUBERNETES_NAMESPACE}:${KUBERNETES_SERVICE_ACCOUNT}`;
const TOKEN_DIR = "/var/run/secrets/pullgate";
/**
 * Every 15 minutes: registry credentials made with a role session last no longer than the
 * session (an hour), so a renewal this often never leaves the pull secret expired, even after a
 * missed run.
 */
const RENEW_SCHEDULE = "*/15 * * * *";
// sh, the AWS CLI and kubectl in one image; pin the version nearest your cluster.
const RENEWER_IMAGE = "alpine/k8s:1.31.0";

const PLATFORM_KINDS: Record<string, WorkloadSetupKind> = {
  "workload-github": "GITHUB_ACTIONS",
  "workload-gitlab": "GITLAB_CI",
  "workload-kubernetes": "KUBERNETES",
};

/**
 * An audience as YAML reads it back, a string: plain when it is a host name (sts.amazonaws.com),
 * else double-quoted (a JSON string is a YAML one), so no audience turns into a number, a boolean or a comment.
 */
const yamlValue = (value: string) => (/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/i.test(value) ? value : JSON.stringify(value));

const loginCommand = (r: WorkloadSetupRegistry) => `aws ecr get-login-password --region ${r.region} | docker login --username AWS --password-stdin ${r.host}`;
const pullCommand = (r: WorkloadSetupRegistry) => `docker pull ${r.host}/${IMAGE}`;
const indent = (spaces: number, lines: string[]) => lines.map((line) => `${" ".repeat(spaces)}${line}`).join("\n");

export function workloadSetup({ roleArn, registries: given, audiences = {}, registeredKinds = [] }: WorkloadSetupInput): InstructionPlatform[] {
  const registries = given.length > 0 ? given : [NO_REGISTRY];
  const role = roleArn ?? ROLE_PLACEHOLDER;
  const audience = (kind: WorkloadSetupKind) => audiences[kind] ?? DEFAULT_AUDIENCE;
  const platforms: InstructionPlatform[] = [
    {
      id: "workload-github",
      title: "GitHub Actions",
      steps: [
        {
          id: "workload-github-workflow",
          title: "Pull in a workflow",
          description:
            "Save as .github/workflows/pull.yml, or copy the steps into your own job; the job needs id-token: write. A push to main carries the subject repo:<owner>/<repository>:ref:refs/heads/main, a job with an environment repo:<owner>/<repository>:environment:<name>: trust the one your job carries. Replace <repository>:<tag> with an image listed on Downloads.",
          command: githubWorkflow(role, registries, audience("GITHUB_ACTIONS")),
        },
      ],
    },
    {
      id: "workload-gitlab",
      title: "GitLab CI/CD",
      steps: [
        {
          id: "workload-gitlab-job",
          title: "Pull in a job",
          description:
            "Add to .gitlab-ci.yml. A job on main carries the subject project_path:<group>/<project>:ref_type:branch:ref:main. The runner must allow Docker-in-Docker (privileged); on a shell runner with Docker and the AWS CLI installed, drop image, services, variables and the apk line. Replace <repository>:<tag> with an image listed on Downloads.",
          command: gitlabJob(role, registries, audience("GITLAB_CI")),
        },
      ],
    },
    {
      id: "workload-kubernetes",
      title: "Kubernetes",
      steps: [
        {
          id: "workload-kubernetes-subject",
          title: "Trust the renewer's service account",
          description: `Register a Kubernetes workload with this subject: the service account the renewal job below runs as, in the ${KUBERNETES_NAMESPACE} namespace. Change both to yours if you like.`,
          command: KUBERNETES_SUBJECT,
        },
        {
          id: "workload-kubernetes-issuer",
          title: "Find your cluster's issuer URL",
          description: "On EKS this prints the issuer to register; replace <cluster> with your cluster's name. Other clusters' issuers must be allowed by the vendor first.",
          command: "aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer --output text",
        },
        {
          id: "workload-kubernetes-renewer",
          title: "Renew the image pull secret on a schedule",
          description: `Apply with kubectl apply -f. Every 15 minutes the job assumes your role with a service-account token made for ${audience("KUBERNETES")} (the projected volume, with AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE), then writes fresh registry credentials to the pull secret; its service account may only read and write that secret. On EKS you may instead annotate the service account with eks.amazonaws.com/role-arn: ${role} and drop the volume and those two variables: the pod identity webhook adds them. The image needs sh, the AWS CLI and kubectl.`,
          command: workloadRenewerYaml(role, registries, audience("KUBERNETES")),
        },
        {
          id: "workload-kubernetes-first-run",
          title: "Write the pull secret now",
          description: "Runs the job once instead of waiting for its schedule.",
          command: `kubectl create job --namespace ${KUBERNETES_NAMESPACE} --from=cronjob/${KUBERNETES_SERVICE_ACCOUNT} ${KUBERNETES_SERVICE_ACCOUNT}-first`,
        },
        {
          id: "workload-kubernetes-pod",
          title: "Reference the pull secret from your pods",
          description: "In a Deployment, imagePullSecrets goes in the pod template's spec. Replace <repository>:<tag> with an image listed on Downloads.",
          command: podYaml(registries),
        },
      ],
    },
  ];
  const registered = (platform: InstructionPlatform) => (registeredKinds.includes(PLATFORM_KINDS[platform.id]!) ? 0 : 1);
  // A stable sort: the kinds the customer trusts first, otherwise GitHub, GitLab, Kubernetes.
  return platforms.sort((a, b) => registered(a) - registered(b));
}

function githubWorkflow(role: string, registries: WorkloadSetupRegistry[], audience: string) {
  const [first, ...others] = registries as [WorkloadSetupRegistry, ...WorkloadSetupRegistry[]];
  // The action asks for a token for sts.amazonaws.com unless told otherwise.
  const withAudience = audience === DEFAULT_AUDIENCE ? [] : [`audience: ${yamlValue(audience)}`];
  // amazon-ecr-login logs in to the region the credentials were configured for; other regions log in with the AWS CLI.
  const otherLogins = others.flatMap((r) => [`- name: Log in to ${r.host}`, `  run: ${loginCommand(r)}`]);
  return `name: Pull images
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  id-token: write
  contents: read
jobs:
  pull:
    runs-on: ubuntu-latest
    steps:
      - name: Assume your Pullgate role
        uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: ${role}
          aws-region: ${first.region}
          role-session-name: github-actions
${indent(10, withAudience)}${withAudience.length ? "\n" : ""}      - name: Log in to the registry
        uses: aws-actions/amazon-ecr-login@v2
${indent(6, otherLogins)}${otherLogins.length ? "\n" : ""}      - name: Pull
        run: |
${indent(10, registries.map(pullCommand))}`;
}

function gitlabJob(role: string, registries: WorkloadSetupRegistry[], audience: string) {
  // The role's temporary credentials, read from the CLI's tab-separated text: no jq needed.
  const assume = [
    `creds=$(aws sts assume-role-with-web-identity --role-arn ${role} --role-session-name "gitlab-$CI_JOB_ID" --web-identity-token "$AWS_TOKEN" --duration-seconds ${WORKLOAD_SESSION_SECONDS} --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)`,
    `AWS_ACCESS_KEY_ID=$(printf '%s' "$creds" | cut -f1)`,
    `AWS_SECRET_ACCESS_KEY=$(printf '%s' "$creds" | cut -f2)`,
    `AWS_SESSION_TOKEN=$(printf '%s' "$creds" | cut -f3)`,
    "export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN",
  ];
  return `pull-images:
  image: docker:27
  services:
    - docker:27-dind
  variables:
    DOCKER_TLS_CERTDIR: "/certs"
  id_tokens:
    AWS_TOKEN:
      aud: ${yamlValue(audience)}
  script:
    - apk add --no-cache aws-cli
    - |
${indent(6, assume)}
${indent(4, registries.map((r) => `- ${loginCommand(r)}`))}
${indent(4, registries.map((r) => `- ${pullCommand(r)}`))}`;
}

function workloadRenewerYaml(role: string, registries: WorkloadSetupRegistry[], audience: string) {
  // The AWS CLI assumes the role itself from AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE.
  const renewals = registries.flatMap((r) => [
    `password=$(aws ecr get-login-password --region ${r.region})`,
    applyPullSecretCommand(pullSecretName(r, registries), KUBERNETES_NAMESPACE, r.host),
  ]);
  const name = KUBERNETES_SERVICE_ACCOUNT;
  const container = shellContainerYaml({
    imageComment: "sh, the AWS CLI and kubectl in one image; pin the version nearest your cluster.",
    image: RENEWER_IMAGE,
    script: renewals,
    env: [
      "- name: AWS_ROLE_ARN",
      `  value: "${role}"`,
      "- name: AWS_WEB_IDENTITY_TOKEN_FILE",
      `  value: ${TOKEN_DIR}/token`,
      "- name: AWS_ROLE_SESSION_NAME",
      `  value: ${name}`,
    ],
    volumeMounts: ["- name: aws-token", `  mountPath: ${TOKEN_DIR}`, "  readOnly: true"],
  });
  return renewerYaml({
    name,
    namespace: KUBERNETES_NAMESPACE,
    secretNames: registries.map((r) => pullSecretName(r, registries)),
    schedule: RENEW_SCHEDULE,
    backoffLimit: 2,
    // The service account's own token for the role's audience: what the AWS CLI assumes the role with.
    pod: `${container}
volumes:
  - name: aws-token
    projected:
      sources:
        - serviceAccountToken:
            path: token
            audience: ${yamlValue(audience)}
            expirationSeconds: ${WORKLOAD_SESSION_SECONDS}`,
  });
}

function podYaml(registries: WorkloadSetupRegistry[]) {
  return pullSecretPodYaml(
    KUBERNETES_NAMESPACE,
    registries.map((r) => pullSecretName(r, registries)),
    `${registries[0]!.host}/${IMAGE}`,
  );
}
