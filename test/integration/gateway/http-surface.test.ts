import { describe, expect, it } from 'vitest';
import { startGateway } from '../../helpers/gateway.js';

describe('probe', () => {
  it('fanout', async () => {
    const gw = await startGateway({ env: { GRAPHQL_MAX_DEPTH: '2' } });
    const n = 22;
    const frags = Array.from({ length: n }, (_, i) => `fragment F${i} on Customer { ...F${i + 1} ...F${i + 1} }`).join('\n');
    const q = `{ customer(id: "1178") { ...F0 } }\n${frags}\nfragment F${n} on Customer { id }`;
    const t0 = performance.now();
    const res = await gw.gql(q);
    console.log(performance.now() - t0, res.status, JSON.stringify(res.errors));
    const mixed = await gw.gql('{ __schema { queryType { name } } customer(id: "1178") { phones { number } } }');
    console.log(mixed.status, JSON.stringify(mixed));
    const unauth = await gw.gql('{ customer(id: "1178") { id } }', undefined, { key: null });
    console.log(JSON.stringify(unauth));
    await gw.close();
  });
});
