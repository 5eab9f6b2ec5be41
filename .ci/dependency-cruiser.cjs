/**
 * The house rules (STYLE.md, README "Architecture"), checked by `npm run lint:architecture` and by
 * test/architecture.test.ts inside `npm test`:
 * - contexts: a bounded context never imports another context's files (only libs/contracts);
 * - layers, inside a context:
 *   domain/          imports only its own domain files, libs/ddd, its context's own published
 *                    language (libs/contracts/<context>.ts) and pure libraries — no framework,
 *                    no database, no platform, no other context's contracts;
 *   interface/       (controllers, DTOs) reaches its own application/ only — never domain/ or infrastructure/;
 *   application/     depends on ports (application/ports/*) — never on infrastructure/;
 *   infrastructure/  is reached only by the context's <context>.module.ts wiring;
 *   SQL and Prisma   only under infrastructure/ (and src/platform): nothing else imports the sql tag or Prisma;
 * - libs/ never import src/; the platform never imports a context.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cross-context-imports',
      comment:
        "Contexts talk through libs/contracts (integration events, commands, queries), never through each other's files.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/', pathNot: '^src/modules/$1/' },
    },
    {
      name: 'domain-is-pure',
      comment:
        "domain/ imports only its own domain, libs/ddd, its own context's published contract (libs/contracts/<context>.ts: the states and shapes it publishes, defined once) and pure libraries (typebox): no framework, database, platform or other contracts.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/domain/' },
      to: {
        pathNot: [
          '^src/modules/$1/domain/',
          '^(dist/)?libs/ddd/',
          '^(dist/)?libs/contracts/$1\\.(ts|js)$',
          '^node_modules/typebox/',
        ],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'interface-reaches-application-only',
      comment:
        'Controllers and DTOs call the application (commands, queries, ports types); never the domain or infrastructure directly.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/interface/' },
      to: { path: '^src/modules/$1/(domain|infrastructure)/' },
    },
    {
      name: 'infrastructure-only-through-the-module',
      comment: "Only <context>.module.ts binds infrastructure to the application's ports.",
      severity: 'error',
      from: {
        path: '^src/modules/([^/]+)/',
        pathNot: ['^src/modules/[^/]+/infrastructure/', '^src/modules/[^/]+/[^/]+\\.module\\.ts$'],
      },
      to: { path: '^src/modules/$1/infrastructure/' },
    },
    {
      name: 'sql-and-prisma-only-in-infrastructure',
      comment:
        'One way to the database: SQL (the sql tag, Db queries) and Prisma only under infrastructure/ or the platform.',
      severity: 'error',
      from: { path: '^src/modules/[^/]+/(domain|application|interface)/' },
      to: {
        path: [
          '^src/platform/database/(sql|prisma\\.service|pg-pool)\\.ts$',
          '^src/platform/database/generated/',
          '^node_modules/(@prisma|pg)/',
        ],
      },
    },
    {
      name: 'libs-stand-alone',
      comment: 'libs/ are shared kernels: they never reach into the application.',
      severity: 'error',
      from: { path: '^(dist/)?libs/' },
      to: { path: '^(dist/)?src/' },
    },
    {
      name: 'platform-knows-no-domain',
      comment: 'The platform is technical plumbing and never imports a bounded context.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/modules/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^src/platform/database/generated/|\\.spec\\.ts$|^src/web/)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
