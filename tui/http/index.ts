export { HTTP_TOKEN_ENV, isLoopbackHost } from './bind-policy.js';
export { type HttpMirror, type HttpMirrorOptions, startHttpMirror } from './start-http-mirror.js';
