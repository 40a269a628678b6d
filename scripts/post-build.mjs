// Marks the CLI executable and copies the non-TypeScript assets tsc does not emit.
import { chmodSync, cpSync, existsSync } from 'node:fs';

chmodSync('dist/cli.js', 0o755);
for (const dir of ['tui/http/public']) {
  if (existsSync(dir)) cpSync(dir, `dist/${dir}`, { recursive: true });
}
