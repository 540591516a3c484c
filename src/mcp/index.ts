export { serverContext, type ServerContext } from './context.js';
export { createMcpServer, callTool } from './server.js';
export { serveStdio, type ServeOptions } from './serve.js';
export { serverTools } from './tools/index.js';
export { workerKeys } from './tools/run-schemas.js';
export { allowedExecutors, allowedSettings, allowedWorkerKeys, settingRefusal, workerKeyRefusal } from './allowed.js';
