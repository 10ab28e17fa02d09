#!/usr/bin/env node
// The installed command: runs the bundled CLI (npm run build makes dist/ and dist/bundle/).
// The folder walk (fast-glob's readdir calls) and large-file streams use libuv's file-system pool: more threads than its default 4.
process.env.UV_THREADPOOL_SIZE ??= '16';
// fleuron supports Node 20 LTS; the SDK's notice about its future Node 22 floor is not the user's concern.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../dist/bundle/main.js');

process.exitCode = await main();
