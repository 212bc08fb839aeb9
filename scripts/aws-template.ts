// `npm run aws:template`: writes the vendor's AWS setup as a CloudFormation template to
// deploy/pullgate-aws.template.json. The file is committed, so vendors deploy it without Node; a
// unit test fails when it differs from what this writes.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setupTemplate } from "@/lib/aws/setup-template";

const TEMPLATE_FILE = path.resolve(import.meta.dirname, "../deploy/pullgate-aws.template.json");

mkdirSync(path.dirname(TEMPLATE_FILE), { recursive: true });
writeFileSync(TEMPLATE_FILE, `${JSON.stringify(setupTemplate(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), TEMPLATE_FILE)}`);
