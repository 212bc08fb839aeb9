// The tests' own AWS calls that the product's code does not make (the SDK has no CloudFormation
// client here, and only lib/aws may import the SDK): boto3, moto's own dependency, through the
// tests' AWS endpoint.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const BOTO3 = `
import json, sys, boto3
from botocore.exceptions import ClientError
a = json.load(sys.stdin)
c = a["credentials"]
client = boto3.client(a["service"], endpoint_url=a["endpoint"], region_name=a["region"], aws_access_key_id=c["accessKeyId"],
                      aws_secret_access_key=c["secretAccessKey"], aws_session_token=c.get("sessionToken"))
try:
    answer = getattr(client, a["method"])(**a["args"])
    if a["method"] in ("create_stack", "delete_stack"):
        waiter = "stack_create_complete" if a["method"] == "create_stack" else "stack_delete_complete"
        client.get_waiter(waiter).wait(StackName=a["args"]["StackName"], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    answer.pop("ResponseMetadata", None)
except ClientError as error:
    answer = {"Error": error.response["Error"]["Code"]}
print(json.dumps(answer, default=str))
`;

export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/**
 * One boto3 call (a stack's creation or deletion waited for); its answer, or `{ Error: code }`.
 * Asynchronous: a test blocked on a child for longer than the oracle's keep-alive would next send
 * on a connection the oracle has closed meanwhile.
 */
export async function boto3(at: { awsEndpoint: string; region: string }, credentials: Credentials, service: string, method: string, args: object): Promise<Record<string, unknown>> {
  const input = JSON.stringify({ service, method, args, credentials, endpoint: at.awsEndpoint, region: at.region });
  const run = promisify(execFile)("python3", ["-c", BOTO3], { encoding: "utf8" });
  run.child.stdin!.end(input);
  return JSON.parse((await run).stdout) as Record<string, unknown>;
}

/** Credentials of a role's session, as STS answers assume_role. */
export function sessionCredentials(assumed: Record<string, unknown>): Credentials {
  const { AccessKeyId, SecretAccessKey, SessionToken } = (assumed as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }).Credentials;
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken };
}
