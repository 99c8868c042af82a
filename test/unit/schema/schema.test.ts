import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { printGatewaySchema } from '../../../src/server/schema-print.js';

const root = new URL('../../../', import.meta.url);

describe('committed artefacts', () => {
  it('schema.graphql matches the code (run `npm run schema:emit`)', async () => {
    const committed = readFileSync(new URL('schema.graphql', root), 'utf8');
    expect(committed).toBe(await printGatewaySchema());
  });

  it('every codegen.yml output matches codegen over the committed schema (run `npm run codegen`)', async () => {
    const { config } = await loadCodegenConfig({ configFilePath: new URL('codegen.yml', root).pathname });
    const outputs: Array<{ filename: string; content: string }> = await generate({ ...config, cwd: root.pathname, silent: true }, false);
    const generated = new Map(outputs.map((o) => [o.filename, o.content]));
    const committed = new Map<string, string | undefined>();
    for (const target of Object.keys(config.generates)) {
      if (target.endsWith('/')) {
        // A preset's directory holds exactly what codegen writes there: no file left over from an older run.
        const files = existsSync(new URL(target, root)) ? readdirSync(new URL(target, root)) : [];
        for (const file of files) committed.set(`${target}${file}`, readFileSync(new URL(`${target}${file}`, root), 'utf8'));
        for (const name of generated.keys()) if (name.startsWith(target) && !committed.has(name)) committed.set(name, undefined);
      } else {
        committed.set(target, existsSync(new URL(target, root)) ? readFileSync(new URL(target, root), 'utf8') : undefined);
      }
    }
    expect([...committed.keys()].sort()).toEqual([...generated.keys()].sort());
    for (const [filename, content] of generated) expect(committed.get(filename), filename).toBe(content);
  });
});
