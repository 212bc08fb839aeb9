import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "lib/generated/**", "node_modules/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    // Only lib/aws may talk to AWS: everything else goes through its functions.
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["lib/aws/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@aws-sdk/*"], message: "Import AWS only inside lib/aws." }] }],
    },
  },
];

export default config;
