// The Kubernetes objects that keep an image pull secret fresh, shared by every set-up that renews
// one (access key, pull token, workload federation): a service account allowed only those secrets,
// and a CronJob running as it. What the job's pod runs is the caller's.

export type RenewerInput = {
  /** Names the ServiceAccount, Role, RoleBinding and CronJob alike. */
  name: string;
  namespace: string;
  /** The pull secrets the job may read and replace. */
  secretNames: string[];
  /** Cron syntax; each caller renews well within its credentials' life. */
  schedule: string;
  backoffLimit: number;
  /** The pod spec's volumes and containers, as YAML at column 0; serviceAccountName and restartPolicy come first. */
  pod: string;
};

export type ShellContainerInput = {
  /** A YAML comment above the image: what the image must hold. */
  imageComment: string;
  image: string;
  /** Run by sh with `set -eu`, one line each. */
  script: string[];
  /** The container's env list, as YAML lines at column 0. */
  env: string[];
  /** Its volumeMounts list, as YAML lines at column 0. */
  volumeMounts?: string[];
};

const indent = (spaces: number, lines: string[]) => lines.map((line) => `${" ".repeat(spaces)}${line}`).join("\n");

/** The pull secret of one registry: the plain name when there is one registry, as there usually is. */
export const pullSecretName = (registry: { region: string }, all: readonly unknown[]) =>
  all.length > 1 ? `pullgate-registry-${registry.region}` : "pullgate-registry";

/** A shell line that creates or replaces a pull secret with the password in $password. */
export const applyPullSecretCommand = (secret: string, namespace: string, host: string) =>
  `kubectl create secret docker-registry ${secret} --namespace ${namespace} --docker-server=${host} --docker-username=AWS --docker-password="$password" --dry-run=client -o yaml | kubectl apply -f -`;

/** A pod's `containers:` with one container, renew, running a shell script. */
export function shellContainerYaml({ imageComment, image, script, env, volumeMounts }: ShellContainerInput) {
  return `containers:
  - name: renew
    # ${imageComment}
    image: ${image}
    command: ["/bin/sh", "-c"]
    args:
      - |
        set -eu
${indent(8, script)}
    env:
${indent(6, env)}${volumeMounts ? `\n    volumeMounts:\n${indent(6, volumeMounts)}` : ""}`;
}

export function renewerYaml({ name, namespace, secretNames, schedule, backoffLimit, pod }: RenewerInput) {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: ${namespace}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${name}
  namespace: ${namespace}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: [${secretNames.map((secret) => `"${secret}"`).join(", ")}]
    verbs: ["get", "patch"]
  # Kubernetes cannot limit create to a name: the object does not exist when it is authorised.
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ${name}
  namespace: ${namespace}
subjects:
  - kind: ServiceAccount
    name: ${name}
    namespace: ${namespace}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: ${name}
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  schedule: "${schedule}"
  concurrencyPolicy: Forbid
  successfulJobsHistoryLimit: 1
  failedJobsHistoryLimit: 3
  jobTemplate:
    spec:
      backoffLimit: ${backoffLimit}
      template:
        spec:
          serviceAccountName: ${name}
          restartPolicy: OnFailure
${indent(10, pod.split("\n"))}`;
}

/** A Pod that pulls with the given secrets: where imagePullSecrets goes. */
export function pullSecretPodYaml(namespace: string, secretNames: string[], image: string) {
  return `apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: ${namespace}
spec:
  imagePullSecrets:
${indent(4, secretNames.map((secret) => `- name: ${secret}`))}
  containers:
    - name: app
      image: ${image}`;
}
