// The customers' own AWS calls (a registry login, a role assumed with an OIDC token), made with
// boto3 as tests/support/boto3.ts makes them, but by one long-lived Python process: starting
// Python and boto3 costs about a second of CPU per call on the benchmark machine, which would
// dominate a login's time and take the cores from the portal being measured.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { Credentials } from "../tests/support/boto3";

// One call per line in, one answer per line out; a client is kept per service and key.
const SERVER = `
import json, sys, boto3
from botocore.exceptions import ClientError
clients = {}
for line in sys.stdin:
    a = json.loads(line)
    c = a["credentials"]
    key = (a["service"], c["accessKeyId"], c.get("sessionToken"))
    if key not in clients:
        clients[key] = boto3.client(a["service"], endpoint_url=a["endpoint"], region_name=a["region"], aws_access_key_id=c["accessKeyId"],
                                    aws_secret_access_key=c["secretAccessKey"], aws_session_token=c.get("sessionToken"))
    try:
        answer = getattr(clients[key], a["method"])(**a["args"])
        answer.pop("ResponseMetadata", None)
    except ClientError as error:
        answer = {"Error": error.response["Error"]["Code"]}
    print(json.dumps({"id": a["id"], "answer": answer}, default=str), flush=True)
`;

type Answer = Record<string, unknown>;

/** boto3 calls against `at`, answered like tests/support/boto3.ts's: the answer, or `{ Error: code }`. */
export function customerAws(at: { awsEndpoint: string; region: string }) {
  const python = spawn("python3", ["-c", SERVER], { stdio: ["pipe", "pipe", "inherit"] });
  const waiting = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
  let next = 0;
  createInterface({ input: python.stdout }).on("line", (line) => {
    const { id, answer } = JSON.parse(line) as { id: number; answer: Answer };
    waiting.get(id)?.resolve(answer);
    waiting.delete(id);
  });
  // A call that raised something other than an AWS error ends the process: its callers must not hang.
  python.once("exit", (code) => {
    for (const { reject } of waiting.values()) reject(new Error(`the customers' boto3 process exited (${code})`));
    waiting.clear();
  });
  return {
    call(credentials: Credentials, service: string, method: string, args: object): Promise<Answer> {
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        python.stdin.write(`${JSON.stringify({ id, service, method, args, credentials, endpoint: at.awsEndpoint, region: at.region })}\n`);
      });
    },
    stop() {
      python.stdin.end();
    },
  };
}
