// `npm run aws:template`: writes the vendor's AWS setup as CloudFormation templates to deploy/:
// pullgate-aws.template.json for the portal's account, pullgate-registry.template.json for each
// other account holding repositories. The files are committed, so vendors deploy them without
// Node; a unit test fails when one differs from what this writes.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { registrySetupTemplate } from "@/lib/aws/registry-template";
import { setupTemplate } from "@/lib/aws/setup-template";

const DEPLOY = path.resolve(import.meta.dirname, "../deploy");
const TEMPLATES = { "pullgate-aws.template.json": setupTemplate(), "pullgate-registry.template.json": registrySetupTemplate() };

mkdirSync(DEPLOY, { recursive: true });
for (const [name, template] of Object.entries(TEMPLATES)) {
  const file = path.join(DEPLOY, name);
  writeFileSync(file, `${JSON.stringify(template, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
