// Import rules, checked by `npm run lint` (depcruise) and reported by `npm run deps`.
import { layers } from "./scripts/deps/layers.mjs";

const upward = layers.flatMap((lower, i) =>
  layers.slice(0, i).map((upper) => ({
    name: `no-upward:${lower.name}->${upper.name}`,
    comment: `${lower.name} sit below ${upper.name}: import downward only (ARCHITECTURE.md)`,
    severity: "error",
    from: { path: lower.path },
    to: { path: upper.path },
  })),
);

const config = {
  forbidden: [
    ...upward,
    {
      name: "no-cycle",
      comment: "modules that import each other in a loop cannot be layered",
      severity: "error",
      from: { path: "^(app|components|lib|scripts)/" },
      to: { circular: true },
    },
    {
      name: "no-database-in-ui",
      comment: "pages and components read through lib read models, never the database client",
      severity: "error",
      from: { path: "^(app|components)/" },
      to: { path: "^lib/(db\\.ts|generated/)" },
    },
    {
      name: "no-aws-in-ui",
      comment: "pages and components never call AWS or the job engine",
      severity: "error",
      from: { path: "^(app|components)/" },
      to: { path: "^lib/(aws|jobs)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules|^lib/generated/" },
    exclude: { path: "^(node_modules|\\.next|tests|lib/generated/.*/internal)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};

export default config;
