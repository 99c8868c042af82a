// Writes the committed schema.graphql from the code-first schema: `npm run schema:emit`.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { printGatewaySchema } from '../src/server/schema-print.js';

writeFileSync(new URL('../schema.graphql', import.meta.url), await printGatewaySchema());
console.log('schema.graphql written');
