#!/usr/bin/env node
/* global process */
// Process entry, in plain JavaScript on purpose: an older Node cannot even
// load src/main.ts (ERR_UNKNOWN_FILE_EXTENSION) before any of our code runs,
// so the version is checked here first, in syntax every Node can parse.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    'kubesphere-graphql needs Node.js 24 or newer (it runs its TypeScript sources directly); this is Node.js ' +
      process.versions.node +
      ' at ' +
      process.execPath +
      '. Use `npm start`, which runs the Node 24 of the `node` devDependency, or install Node 24.\n',
  );
  process.exit(1);
}
import('../src/main.ts');
