/**
 * The house rules (STYLE.md), checked in CI by `npm run lint:architecture`:
 * - a bounded context never imports another context's files (only libs/contracts);
 * - a context's domain/ imports nothing from NestJS, Prisma, the platform or another context;
 * - libs/ never import from src/.
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
      name: 'pure-domain',
      comment: 'domain/ is plain TypeScript: no framework, no database, no platform.',
      severity: 'error',
      from: { path: '^src/modules/[^/]+/domain/' },
      to: {
        path: [
          '^node_modules/@nestjs',
          '^node_modules/@prisma',
          '^node_modules/prisma',
          '^src/platform/',
          '^src/modules/[^/]+/(application|infrastructure|interface)/',
        ],
      },
    },
    {
      name: 'libs-stand-alone',
      comment: 'libs/ are shared kernels: they never reach into the application.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^src/' },
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
    exclude: { path: '(^src/platform/database/generated/|\\.spec\\.ts$)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
