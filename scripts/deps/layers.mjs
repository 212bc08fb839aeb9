// The layers of Pullgate, top to bottom: a module may import its own layer or any layer below,
// never one above. ARCHITECTURE.md explains each; .dependency-cruiser.mjs turns this list into
// rules (so `npm run lint` fails on a back-import) and `npm run deps` reports against it.
const layers = [
  { name: "entry points", path: "^(app|scripts|bench|lib/worker|lib/sandbox)/|^(instrumentation|proxy)\\.ts$" },
  { name: "components", path: "^components/" },
  {
    name: "domains",
    path: "^lib/(access|actions|activity|api|api-keys|auth|billing|bulk|credentials|customers|entitlements|health|notices|products|pull-tokens|users|webhooks|workload-identities)/",
  },
  { name: "provisioning", path: "^lib/provisioning/" },
  { name: "jobs", path: "^lib/jobs/" },
  { name: "adapters", path: "^lib/(aws|stripe|mail)/" },
  {
    name: "base",
    path: "^lib/(db|env|errors|log)\\.ts$|^lib/(audit|cache|crypto|csv|generated|http|lifecycle|locks|paging|policy-evaluation|rate-limit|search|time|validation)/",
  },
];

export { layers };
