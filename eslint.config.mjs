import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const aws = { group: ["@aws-sdk/*"], message: "Import AWS only inside lib/aws." };
// AGPL-licensed and a judge of the product's AWS calls: the tests' oracle is its only user.
const simulator = { group: ["@cloud-copilot/*"], message: "The IAM policy simulator is for the tests' AWS oracle only." };
const stripe = { paths: [{ name: "stripe", message: "Import Stripe only inside lib/stripe." }] };
const restrictImports = (files, ignores, restricted) => ({ files, ignores, rules: { "no-restricted-imports": ["error", restricted] } });

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "lib/generated/**", "node_modules/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  // Only lib/aws may talk to AWS and only lib/stripe to Stripe: everything else goes through their
  // functions (tests and benchmarks, playing Stripe, sign events with the package's own helper).
  restrictImports(["**/*.ts", "**/*.tsx"], ["lib/aws/**", "lib/stripe/**", "tests/**", "bench/**"], { patterns: [aws, simulator], ...stripe }),
  // The tests' AWS oracle is the exception: it judges the product's calls, so it reads the
  // emulator's account on its own rather than through the code it judges.
  restrictImports(["lib/stripe/**", "tests/**", "bench/**"], ["tests/support/aws-oracle/**"], { patterns: [aws, simulator] }),
  restrictImports(["lib/aws/**"], [], { patterns: [simulator] }),
];

export default config;
