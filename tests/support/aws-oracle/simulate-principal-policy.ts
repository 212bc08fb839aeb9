// IAM's policy simulator, which the emulator does not implement, answered by the oracle's own:
// each action on each resource, for the principal the request names, with the condition keys
// the request gives, judged as the oracle judges the portal's real calls.
import type { Principal } from "./account-view";
import { members } from "./aws-request";
import { simulate } from "./judge";

type Decision = "allowed" | "implicitDeny" | "explicitDeny";

/** ContextEntries as condition keys: a list-typed key as a list, any other as its one value. */
export function simulationContext(params: Record<string, unknown>): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  for (let i = 1; typeof params[`ContextEntries.member.${i}.ContextKeyName`] === "string"; i++) {
    const entry = `ContextEntries.member.${i}`;
    const values = members(params, `${entry}.ContextKeyValues`);
    const list = String(params[`${entry}.ContextKeyType`] ?? "").endsWith("List");
    context[String(params[`${entry}.ContextKeyName`])] = list ? values : (values[0] ?? "");
  }
  return context;
}

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The SimulatePrincipalPolicy answer for `subject`, in IAM's awsQuery XML. */
export async function simulatePrincipalPolicyAnswer(params: Record<string, unknown>, subject: Principal): Promise<string> {
  const context = simulationContext(params);
  const resources = members(params, "ResourceArns");
  const results: string[] = [];
  for (const action of members(params, "ActionNames")) {
    for (const resource of resources.length ? resources : ["*"]) {
      // IAM's simulator weighs only the policies it is given: with no ResourcePolicy there is no
      // resource side, and the owner defaults to the subject's account, whatever account the ARN
      // names (so a cross-account resource is judged by the identity's policies alone).
      const verdict = await simulate(subject, { action, resource, context }, subject.accountId);
      const decision: Decision = verdict.allowed ? "allowed" : verdict.reason.includes("explicit deny") ? "explicitDeny" : "implicitDeny";
      results.push(
        `<member><EvalActionName>${escapeXml(action)}</EvalActionName><EvalResourceName>${escapeXml(resource)}</EvalResourceName><EvalDecision>${decision}</EvalDecision></member>`,
      );
    }
  }
  return (
    `<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><SimulatePrincipalPolicyResult>` +
    `<EvaluationResults>${results.join("")}</EvaluationResults><IsTruncated>false</IsTruncated></SimulatePrincipalPolicyResult>` +
    `<ResponseMetadata><RequestId>oracle</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>`
  );
}
