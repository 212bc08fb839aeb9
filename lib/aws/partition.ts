// ARNs name their partition: `aws`, but `aws-cn` in China and `aws-us-gov` in GovCloud. The
// portal's own comes from STS (sts.ts); its customers' accounts can only be in the same one.

/** An account and the partition it lives in: all an ARN in it needs besides the resource. */
export type AwsAccount = { accountId: string; partition: string };

/** The partition an ARN names (its second field). */
export function arnPartition(arn: string): string {
  const [prefix, partition] = arn.split(":");
  if (prefix !== "arn" || !partition) throw new Error(`${arn} is not an ARN`);
  return partition;
}
