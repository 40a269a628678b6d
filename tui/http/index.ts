export { DEFAULT_HTTP_PORT, HTTP_TOKEN_ENV, isLoopbackHost } from './bind-policy.js';
export { checkMirrorOptions, type MirrorArgs, mirrorPort } from './check-mirror-options.js';
export { type HttpMirror, type HttpMirrorOptions, startHttpMirror } from './start-http-mirror.js';
