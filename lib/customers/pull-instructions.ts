// Exact commands a customer copies to log in to the vendor's registry and pull, per platform.
import { registryHost } from "@/lib/aws/ecr";
import { credentialsFileEntry } from "./credential-files";
import { renewerYaml } from "./kubernetes-renewer";

export type InstructionInput = {
  accountId: string;
  region: string;
  /** `tag` is the one the commands use, normally the newest; null when nothing is pushed yet. */
  repositories: { name: string; tag: string | null }[];
  accessKeyId: string | null;
  /** AWS CLI profile name; a lowercase DNS label, so it also prefixes Kubernetes object names. */
  profile: string;
};

export type InstructionStep = { id: string; title: string; description: string; command: string };
export type InstructionPlatform = { id: string; title: string; steps: InstructionStep[] };

export const SECRET_PLACEHOLDER = "<your secret access key>";
const KEY_ID_PLACEHOLDER = "<your access key id>";
const NAMESPACE = "default";
/** Every 6 hours: a registry token lives 12, so one failed run never lets the secret lapse. */
const REFRESH_SCHEDULE = "0 */6 * * *";
// The Kubernetes project's own kubectl image (registry.k8s.io, not Docker Hub); pin the version nearest your cluster.
const KUBECTL_IMAGE = "registry.k8s.io/kubectl:v1.31.0";
const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/** A Kubernetes object name of at most `max` characters (CronJob names are capped at 52). */
function objectName(base: string, suffix: string, max = 63) {
  return `${base.slice(0, max - suffix.length - 1).replace(/-+$/, "")}-${suffix}`;
}

/** The repository's last path segment as a DNS label, to name its Deployment and container. */
function workloadName(repository: string) {
  const label = (repository.split("/").pop() ?? repository)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return label || "app";
}

export function pullInstructions({ accountId, region, repositories, accessKeyId, profile }: InstructionInput): InstructionPlatform[] {
  const registry = registryHost(accountId, region);
  const images = repositories.map((r) => ({ ...r, ref: `${registry}/${r.name}:${r.tag ?? "latest"}` }));
  const getPassword = `aws ecr get-login-password --region ${region} --profile ${profile}`;
  const loginWith = (tool: string) => `${getPassword} | ${tool} --username AWS --password-stdin ${registry}`;
  const pullWith = (tool: string) => images.map((i) => `${tool} pull ${i.ref}`).join("\n");

  const pullSecret = objectName(profile, "registry");
  const keySecret = objectName(profile, "aws-key");
  const refresher = objectName(profile, "registry-refresh", 52);
  const createPullSecret = (password: string) =>
    `kubectl create secret docker-registry ${pullSecret} --docker-server=${registry} --docker-username=AWS --docker-password="${password}" --namespace ${NAMESPACE}`;

  return [
    {
      id: "docker",
      title: "AWS CLI and Docker",
      steps: [
        {
          id: "aws-profile",
          title: "Save your access key as an AWS CLI profile",
          description: `Enter ${accessKeyId ? `access key ID ${accessKeyId}` : "your access key ID"}, your secret access key and region ${region}; leave the output format empty. The profile keeps these credentials apart from any others you use, and every other platform below uses it too.`,
          command: `aws configure --profile ${profile}`,
        },
        {
          id: "aws-credentials-file",
          title: "Or add the profile to ~/.aws/credentials yourself",
          description: "On Windows the file is %USERPROFILE%\\.aws\\credentials. Replace the placeholder with your secret access key.",
          command: credentialsFileEntry({ profile, accessKeyId: accessKeyId ?? KEY_ID_PLACEHOLDER, secretAccessKey: SECRET_PLACEHOLDER }).trimEnd(),
        },
        {
          id: "docker-login",
          title: "Log in to the registry",
          description: "The password is a registry token valid for 12 hours; run this again when it expires.",
          command: loginWith("docker login"),
        },
        {
          id: "docker-pull",
          title: "Pull the images",
          description: "Replace the tag with any version listed with your products.",
          command: pullWith("docker"),
        },
      ],
    },
    {
      id: "podman",
      title: "Podman",
      steps: [
        { id: "podman-login", title: "Log in to the registry", description: "The token is valid for 12 hours.", command: loginWith("podman login") },
        { id: "podman-pull", title: "Pull the images", description: "Podman uses the same image references as Docker.", command: pullWith("podman") },
      ],
    },
    {
      id: "skopeo",
      title: "skopeo",
      steps: [
        {
          id: "skopeo-login",
          title: "Log in to the registry",
          description: "skopeo keeps the token in the same place as Podman, for 12 hours.",
          command: loginWith("skopeo login"),
        },
        {
          id: "skopeo-inspect",
          title: "Inspect an image without pulling it",
          description: "Prints the digest, architecture, labels and layers.",
          command: images.map((i) => `skopeo inspect docker://${i.ref}`).join("\n"),
        },
        {
          id: "skopeo-copy",
          title: "Copy the images into OCI archives",
          description: "Useful to move images into an air-gapped network or another registry.",
          command: images.map((i) => `skopeo copy docker://${i.ref} oci-archive:${workloadName(i.name)}-${i.tag ?? "latest"}.tar`).join("\n"),
        },
      ],
    },
    {
      id: "powershell",
      title: "Windows PowerShell",
      steps: [
        {
          id: "powershell-login",
          title: "Log in to the registry",
          description: "Needs the AWS Tools for PowerShell (Install-Module AWS.Tools.ECR) and reads the same profile.",
          command: `(Get-ECRLoginCommand -Region ${region} -ProfileName ${profile}).Password | docker login --username AWS --password-stdin ${registry}`,
        },
        { id: "powershell-pull", title: "Pull the images", description: "The same commands as on any other system.", command: pullWith("docker") },
      ],
    },
    {
      id: "credential-helper",
      title: "Amazon ECR credential helper",
      steps: [
        {
          id: "credential-helper-config",
          title: "Let Docker fetch registry tokens by itself",
          description:
            "Install docker-credential-ecr-login (Debian and Ubuntu: apt install amazon-ecr-credential-helper; macOS: brew install docker-credential-helper-ecr), then add this entry to ~/.docker/config.json, keeping any other settings there. Docker then asks the helper for a fresh token whenever it needs one, so there is no docker login.",
          command: JSON.stringify({ credHelpers: { [registry]: "ecr-login" } }, null, 2),
        },
        {
          id: "credential-helper-pull",
          title: "Pull with your profile",
          description: "The helper reads the profile from AWS_PROFILE; on Windows set it with $env:AWS_PROFILE first.",
          command: images.map((i) => `AWS_PROFILE=${profile} docker pull ${i.ref}`).join("\n"),
        },
      ],
    },
    {
      id: "helm",
      title: "Helm (OCI charts)",
      steps: [
        {
          id: "helm-login",
          title: "Log in to the registry",
          description: "If the vendor ships Helm charts in these repositories, Helm 3.8 or later can pull them directly.",
          command: loginWith("helm registry login"),
        },
        {
          id: "helm-pull",
          title: "Pull the charts",
          // Helm versions must be SemVer; without a tag it picks the highest one itself.
          description: "A chart's version is its tag. helm install and helm upgrade accept the same oci:// reference.",
          command: images.map((i) => `helm pull oci://${registry}/${i.name}${i.tag ? ` --version ${i.tag}` : ""}`).join("\n"),
        },
      ],
    },
    {
      id: "kubernetes",
      title: "Kubernetes",
      steps: [
        {
          id: "kubernetes-secret",
          title: "Create an image pull secret",
          description: `The secret holds a registry token, which expires after 12 hours; the job further down renews it. These commands use the ${NAMESPACE} namespace: change it to yours.`,
          command: createPullSecret(`$(${getPassword})`),
        },
        {
          id: "kubernetes-deployment",
          title: "Reference the secret from your workloads",
          description: "imagePullSecrets lets the kubelet pull with the secret; adapt the rest to your deployment.",
          command: images.map((i) => deploymentYaml(workloadName(i.name), i.ref, pullSecret)).join("\n---\n"),
        },
        {
          id: "kubernetes-aws-key",
          title: "Store your access key for the renewal job",
          description: "Copies the key from your AWS CLI profile into a Kubernetes secret, so it never appears in your shell history.",
          command: [
            `kubectl create secret generic ${keySecret} --namespace ${NAMESPACE}`,
            `--from-literal=AWS_ACCESS_KEY_ID="$(aws configure get aws_access_key_id --profile ${profile})"`,
            `--from-literal=AWS_SECRET_ACCESS_KEY="$(aws configure get aws_secret_access_key --profile ${profile})"`,
          ].join(" "),
        },
        {
          id: "kubernetes-refresh",
          title: "Renew the pull secret every 6 hours",
          description:
            "Apply with kubectl apply -f. The job fetches a token with your key, then replaces the pull secret; its service account may only read and write that secret.",
          command: refreshYaml({ registry, region, pullSecret, keySecret, refresher }),
        },
      ],
    },
    {
      id: "http-api",
      title: "Registry HTTP API (curl)",
      steps: [
        {
          id: "http-api-token",
          title: "Get a registry token",
          description: "The registry accepts it with HTTP basic authentication, user AWS, for 12 hours.",
          command: `TOKEN=$(${getPassword})`,
        },
        {
          id: "http-api-tags",
          title: "List the tags",
          description: "Returns JSON with the repository name and its tags.",
          command: images.map((i) => `curl -s -u "AWS:$TOKEN" https://${registry}/v2/${i.name}/tags/list`).join("\n"),
        },
        {
          id: "http-api-manifest",
          title: "Read an image manifest",
          description: "The Accept header asks for multi-platform indexes as well as single images, in OCI or Docker format.",
          command: images
            .map((i) => `curl -s -u "AWS:$TOKEN" -H "Accept: ${MANIFEST_TYPES}" https://${registry}/v2/${i.name}/manifests/${i.tag ?? "latest"}`)
            .join("\n"),
        },
      ],
    },
  ];
}

function deploymentYaml(name: string, image: string, pullSecret: string) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NAMESPACE}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      imagePullSecrets:
        - name: ${pullSecret}
      containers:
        - name: ${name}
          image: ${image}`;
}

function refreshYaml(k: {
  registry: string;
  region: string;
  pullSecret: string;
  keySecret: string;
  refresher: string;
}) {
  return renewerYaml({
    name: k.refresher,
    namespace: NAMESPACE,
    secretNames: [k.pullSecret],
    schedule: REFRESH_SCHEDULE,
    backoffLimit: 3,
    pod: `volumes:
  - name: token
    emptyDir:
      medium: Memory
initContainers:
  # Writes the renewed pull secret as a manifest: the kubectl image has no shell.
  - name: get-token
    image: amazon/aws-cli:latest
    command: ["/bin/sh", "-c"]
    args:
      - |
        set -e
        auth=$(printf 'AWS:%s' "$(aws ecr get-login-password --region ${k.region})" | base64 -w0)
        config=$(printf '{"auths":{"${k.registry}":{"auth":"%s"}}}' "$auth" | base64 -w0)
        printf 'apiVersion: v1\\nkind: Secret\\nmetadata:\\n  name: ${k.pullSecret}\\n  namespace: ${NAMESPACE}\\ntype: kubernetes.io/dockerconfigjson\\ndata:\\n  .dockerconfigjson: %s\\n' "$config" > /token/secret.yaml
    envFrom:
      - secretRef:
          name: ${k.keySecret}
    volumeMounts:
      - name: token
        mountPath: /token
containers:
  - name: update-secret
    image: ${KUBECTL_IMAGE}
    command: ["kubectl", "apply", "-f", "/token/secret.yaml"]
    volumeMounts:
      - name: token
        mountPath: /token
        readOnly: true`,
  });
}
