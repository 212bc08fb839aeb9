// The browser tests' sandbox: `npm run dev`'s sandbox with the AWS oracle in front of its
// emulator, so every AWS call the app and its worker make is judged as AWS would judge it.
import { startSandbox } from "@/scripts/sandbox";
import { startAwsOracle } from "../support/aws-oracle/start-aws-oracle";

startSandbox({
  awsFrontDoor: (aws, region) =>
    startAwsOracle({ emulator: aws.endpoint, s3: aws.s3Endpoint, region, accountId: aws.accountId, admin: aws.admin, cloudTrailBucket: aws.cloudTrailBucket }),
});
