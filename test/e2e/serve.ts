// The real LogWatch (config, sources, pipeline, API) with the dashboard mounted: what `src/main.ts`
// runs, started the same way (same flags), for the browser tests. When createApp mounts the
// dashboard itself this adds nothing, and the launcher can start src/main.ts directly.
import process from 'node:process';
import { loadConfig } from '../../src/config/load.ts';
import { createConsoleLogger } from '../../src/logger.ts';
import { startLogWatch } from '../../src/logwatch.ts';
import { createUi } from '../../src/web/ui.ts';

const logger = createConsoleLogger();
const { config } = loadConfig({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd() });
const running = await startLogWatch(config, { logger });
const app = running.web.app;
const served = app.routes.some((r) => r.path === '/' && r.method === 'GET');
const ui = served ? undefined : createUi(running.context);
if (ui !== undefined) app.route('/', ui.routes);
process.stdout.write(`LogWatch listening on ${running.url} (${running.server.runtime}, dashboard ${served ? 'from createApp' : 'mounted by test/e2e/serve.ts'})\n`);

const stop = () => {
  ui?.close();
  running.stop().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
