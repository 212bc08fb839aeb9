// Exact commands a customer copies to pull with a pull token: the credential helper on a machine,
// the same in CI, and a renewed image pull secret in Kubernetes. No secret is ever inlined.
import { applyPullSecretCommand, pullSecretName, pullSecretPodYaml, renewerYaml, shellContainerYaml } from "@/lib/customers/kubernetes-renewer";
import type { InstructionPlatform } from "@/lib/customers/pull-instructions";

export type SetupRegistry = { host: string; region: string; repositories: string[] };
export type SetupInput = { baseUrl: string; registries: SetupRegistry[] };

export const TOKEN_PLACEHOLDER = "<your pull token>";
/** Stands in for the registry until the customer holds a product: the steps still show their shape. */
const NO_REGISTRY: SetupRegistry = { host: "<registry host>", region: "<region>", repositories: ["<repository>"] };
const NAMESPACE = "default";
const TOKEN_SECRET = "pullgate-pull-token";
const RENEWER = "pullgate-registry-renew";
/**
 * Every 15 minutes: Pullgate hands out credentials with at least half an hour left
 * (registry-credentials.ts), so a renewal this often never leaves the secret expired, even
 * after a missed run.
 */
const RENEW_SCHEDULE = "*/15 * * * *";
const RENEWER_IMAGE = "alpine/k8s:1.31.0";

export function credentialHelperSetup({ baseUrl, registries: given }: SetupInput): InstructionPlatform[] {
  const registries = given.length > 0 ? given : [NO_REGISTRY];
  const helperUrl = `${baseUrl}/downloads/docker-credential-pullgate`;
  const credHelpers = { credHelpers: Object.fromEntries(registries.map((r) => [r.host, "pullgate"])) };
  const pulls = registries.flatMap((r) => r.repositories.map((name) => `docker pull ${r.host}/${name}:<tag>`)).join("\n");
  const secrets = registries.map((r) => ({ ...r, secret: pullSecretName(r, registries) }));

  return [
    {
      id: "pull-token-machine",
      title: "Your machine",
      steps: [
        {
          id: "pull-token-install",
          title: "Install the credential helper",
          description: "A POSIX shell script that needs only curl. Writing to /usr/local/bin needs root: run it with sudo, or install into any directory on your PATH.",
          command: `curl -fsSL ${helperUrl} -o /usr/local/bin/docker-credential-pullgate && chmod +x /usr/local/bin/docker-credential-pullgate`,
        },
        {
          id: "pull-token-config",
          title: "Save the portal's address and your pull token",
          description: `Replace ${TOKEN_PLACEHOLDER} with the token. The file is made private before the token is written to it; the helper refuses a config file others can read.`,
          command: [
            "mkdir -p ~/.config/pullgate",
            "touch ~/.config/pullgate/config && chmod 600 ~/.config/pullgate/config",
            "cat > ~/.config/pullgate/config <<'EOF'",
            `url=${baseUrl}`,
            `token=${TOKEN_PLACEHOLDER}`,
            "EOF",
          ].join("\n"),
        },
        {
          id: "pull-token-docker-config",
          title: "Let Docker ask the helper for your registry",
          description: "Add this entry to ~/.docker/config.json, keeping any other settings there.",
          command: JSON.stringify(credHelpers, null, 2),
        },
        {
          id: "pull-token-pull",
          title: "Pull",
          description: "Docker asks the helper for fresh credentials whenever it needs them, so there is no docker login. Replace <tag> with a version listed on Downloads.",
          command: pulls,
        },
      ],
    },
    {
      id: "pull-token-ci",
      title: "CI (any runner)",
      steps: [
        {
          id: "pull-token-ci-pull",
          title: "Install the helper in the job and pull",
          description:
            "Keep the token in your CI's secret store and hand it to the job as the environment variable PULLGATE_PULL_TOKEN (GitHub Actions: env: PULLGATE_PULL_TOKEN: ${{ secrets.PULLGATE_PULL_TOKEN }}). Where the runner has a ~/.docker/config.json already, add the credHelpers entry to it instead of replacing it.",
          command: [
            `export PULLGATE_URL=${baseUrl}`,
            'mkdir -p "$HOME/.local/bin" "$HOME/.docker"',
            `curl -fsSL ${helperUrl} -o "$HOME/.local/bin/docker-credential-pullgate"`,
            'chmod +x "$HOME/.local/bin/docker-credential-pullgate"',
            'export PATH="$HOME/.local/bin:$PATH"',
            `echo '${JSON.stringify(credHelpers)}' > "$HOME/.docker/config.json"`,
            pulls,
          ].join("\n"),
        },
      ],
    },
    {
      id: "pull-token-kubernetes",
      title: "Kubernetes",
      steps: [
        {
          id: "pull-token-kubernetes-secret",
          title: "Store the pull token in a secret",
          description: `Replace ${TOKEN_PLACEHOLDER} with the token. These commands use the ${NAMESPACE} namespace: change it to yours.`,
          command: `kubectl create secret generic ${TOKEN_SECRET} --namespace ${NAMESPACE} --from-literal=token='${TOKEN_PLACEHOLDER}'`,
        },
        {
          id: "pull-token-kubernetes-renewer",
          title: "Renew the image pull secret on a schedule",
          description:
            "Apply with kubectl apply -f. The job exchanges the token for registry credentials and writes them to the pull secret; its service account may only read and write that secret.",
          command: pullTokenRenewerYaml(baseUrl, secrets),
        },
        {
          id: "pull-token-kubernetes-first-run",
          title: "Write the pull secret now",
          description: "Runs the job once instead of waiting for its schedule.",
          command: `kubectl create job --namespace ${NAMESPACE} --from=cronjob/${RENEWER} ${RENEWER}-first`,
        },
        {
          id: "pull-token-kubernetes-pod",
          title: "Reference the pull secret from your pods",
          description: "In a Deployment, imagePullSecrets goes in the pod template's spec.",
          command: podYaml(secrets),
        },
      ],
    },
  ];
}

function pullTokenRenewerYaml(baseUrl: string, secrets: (SetupRegistry & { secret: string })[]) {
  // The token goes to curl as a header from the environment, never as part of the URL; the
  // registry's password is read from the JSON answer, whose values hold no quotes.
  const renewals = secrets.flatMap((r) => [
    `password=$(curl -fsS --max-time 30 -H "Authorization: Bearer $PULLGATE_PULL_TOKEN" -H 'Content-Type: application/json' --data '{"registry":"${r.host}"}' "$PULLGATE_URL/api/v1/registry/credentials" | sed -n 's/.*"password":"\\([^"]*\\)".*/\\1/p')`,
    'test -n "$password"',
    applyPullSecretCommand(r.secret, NAMESPACE, r.host),
  ]);
  return renewerYaml({
    name: RENEWER,
    namespace: NAMESPACE,
    secretNames: secrets.map((r) => r.secret),
    schedule: RENEW_SCHEDULE,
    backoffLimit: 2,
    pod: shellContainerYaml({
      imageComment: "sh, curl and kubectl in one image; pin the version nearest your cluster.",
      image: RENEWER_IMAGE,
      script: renewals,
      env: [
        "- name: PULLGATE_URL",
        `  value: "${baseUrl}"`,
        "- name: PULLGATE_PULL_TOKEN",
        "  valueFrom:",
        "    secretKeyRef:",
        `      name: ${TOKEN_SECRET}`,
        "      key: token",
      ],
    }),
  });
}

function podYaml(secrets: (SetupRegistry & { secret: string })[]) {
  const first = secrets[0]!;
  return pullSecretPodYaml(
    NAMESPACE,
    secrets.map((r) => r.secret),
    `${first.host}/${first.repositories[0]}:<tag>`,
  );
}
