import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";

// The script a customer runs to prove control of an AWS account, read from where the repository
// ships it (one copy): shown on the accounts page inside the one command to run, so nothing has to
// be downloaded and the customer sees everything it does.
let script: string | undefined;
const proveAccountScript = () => (script ??= readFileSync(path.join(process.cwd(), "scripts/customer/pullgate-prove-account.py"), "utf8"));

const shellQuote = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;

/** The command that writes the signed proof for one nonce to proof.json, with the script inline. */
export function proveAccountCommand({ nonce, url, region }: { nonce: string; url: string; region: string }) {
  // --name=value: a nonce may start with "-", which as a separate word would read as an option.
  return `python3 - --nonce=${shellQuote(nonce)} --url=${shellQuote(url)} --region=${shellQuote(region)} > proof.json <<'EOF'\n${proveAccountScript()}EOF\n`;
}
