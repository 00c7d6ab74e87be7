// Layer rules of DESIGN.md, checked on every `npm test`:
// apps never import apps, libraries are entered only through their index, the domain imports nothing.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'app-imports-app',
      severity: 'error',
      comment: 'An app never imports another app; shared code belongs in libs/.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'lib-imports-app',
      severity: 'error',
      comment: 'Dependencies point one way: apps -> libs.',
      from: { path: '^(libs|tools)/' },
      to: { path: '^apps/' },
    },
    {
      name: 'deep-import-into-lib',
      severity: 'error',
      comment: 'Enter a library through its front door (@eos/name), never a path inside it.',
      from: { pathNot: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/(?!index\\.ts$)' },
    },
    {
      name: 'lib-deep-import-into-other-lib',
      severity: 'error',
      comment: 'A library reaches another library only through its index.',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/([^/]+)/src/(?!index\\.ts$)', pathNot: '^libs/$1/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'libs/domain depends on nothing outside itself: no Nest, no I/O, no node built-ins.',
      from: { path: '^libs/domain/', pathNot: '\\.spec\\.ts$' },
      to: { pathNot: '^libs/domain/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.d\\.ts$)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
