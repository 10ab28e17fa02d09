/**
 * The AWS SDK's modules, loaded on first use. Importing `@aws-sdk/client-s3` takes ~0.2 s of the main thread (its
 * 970 KB bundle chunk compiled and its modules run: 178–192 ms on Node 20 here), and a publish that finds nothing to
 * change sends no request through it (s3-requests.ts). So no module imports the SDK's values statically but client.ts,
 * which makes the client and is itself imported on first use: each module that sends an SDK command takes its classes
 * from here when it sends it (types are imported as usual).
 */

let s3Module: Promise<typeof import('@aws-sdk/client-s3')> | undefined;
let storageModule: Promise<typeof import('@aws-sdk/lib-storage')> | undefined;

/** `@aws-sdk/client-s3`: its commands and client. */
export function s3Sdk(): Promise<typeof import('@aws-sdk/client-s3')> {
  return (s3Module ??= import('@aws-sdk/client-s3').then(exportsOf));
}

/** `@aws-sdk/lib-storage`: multipart uploads (Upload). */
export function storageSdk(): Promise<typeof import('@aws-sdk/lib-storage')> {
  return (storageModule ??= import('@aws-sdk/lib-storage').then(exportsOf));
}

/**
 * The exports of a CommonJS package imported with import(): the bundle (esbuild) gives its exports object as
 * `default` only, Node and the tests' transform give its names as well.
 */
function exportsOf<Module extends object>(module: Module): Module {
  const inner = (module as { default?: unknown }).default;
  return typeof inner === 'object' && inner !== null ? (inner as Module) : module;
}
