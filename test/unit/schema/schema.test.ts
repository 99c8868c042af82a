import { readFileSync } from 'node:fs';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { printGatewaySchema } from '../../../src/server/schema-print.js';

const root = new URL('../../../', import.meta.url);

describe('committed artefacts', () => {
  it('schema.graphql matches the code (run `npm run schema:emit`)', async () => {
    const committed = readFileSync(new URL('schema.graphql', root), 'utf8');
    expect(committed).toBe(await printGatewaySchema());
  });

  it('test/__generated__/operations.ts matches codegen over the committed schema (run `npm run codegen`)', async () => {
    const { config } = await loadCodegenConfig({ configFilePath: new URL('codegen.yml', root).pathname });
    const [output] = await generate({ ...config, cwd: root.pathname, silent: true }, false);
    const committed = readFileSync(new URL('test/__generated__/operations.ts', root), 'utf8');
    expect(committed).toBe(output!.content);
  });
});
