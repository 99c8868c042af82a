/**
 * LoanProClient.findPhonesByNumber against a MockAgent LoanPro: chunking, escaping, the 414 halving, one chunk's
 * failure staying its own, and the fallback to `Customers/Autopal.Search()` when LoanPro refuses the Phones
 * collection (410) or its filter (409), with the periodic re-probe.
 */
import type { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstream } from '../../../src/datasources/http/upstream.js';
import { UpstreamError } from '../../../src/datasources/http/upstream.errors.js';
import { LoanProClient, odataString, type NumberResult } from '../../../src/datasources/loanpro/loanpro.client.js';
import type { WirePhone } from '../../../src/datasources/loanpro/loanpro.wire.js';
import { MOCK_BASE, MOCK_ORIGIN, mockAgent } from '../http/helpers.js';

type Reply = { statusCode: number; data: object };

interface Fake {
  /** Every phone LoanPro holds, by customer. */
  phones: WirePhone[];
  /** Answer to the Phones collection; default: filter `phones` by the numbers in the $filter. */
  phonesReply?: (numbers: string[]) => Reply;
  searchReply?: (body: { query: { bool: { should: Array<{ match: { primaryPhone: string } }> } } }, start: number, top: number) => Reply;
}

interface Calls {
  phones: string[][];
  filters: string[];
  searches: Array<{ numbers: string[]; start: number; top: number }>;
  customerBatches: number[][];
}

const phone = (id: number, entityId: number, number: string, isPrimary: 0 | 1 = 1): WirePhone => ({ id, entityId, phone: number, isPrimary });

/** The literals of `phone eq '...' or ...` ('' unescaped). */
function filterNumbers(filter: string): string[] {
  return [...filter.matchAll(/phone eq '((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
}

function query(path: string): URLSearchParams {
  return new URLSearchParams(path.slice(path.indexOf('?') + 1));
}

function setup(fake: Fake, options: { batchSize?: number; reprobeMs?: number } = {}) {
  const agent: MockAgent = mockAgent();
  const pool = agent.get(MOCK_ORIGIN);
  const calls: Calls = { phones: [], filters: [], searches: [], customerBatches: [] };
  const clock = { now: 0 };
  const primaryOf = (customerId: number) => fake.phones.find((p) => p.entityId === customerId && p.isPrimary === 1);
  pool
    .intercept({ path: (p) => p.includes('/odata.svc/Phones'), method: 'GET' })
    .reply<object>((opts) => {
      const filter = query(opts.path).get('$filter') ?? '';
      const numbers = filterNumbers(filter);
      calls.filters.push(filter);
      calls.phones.push(numbers);
      if (fake.phonesReply) return fake.phonesReply(numbers);
      return { statusCode: 200, data: { d: { results: fake.phones.filter((p) => numbers.includes(p.phone)), summary: { start: 0, pageSize: 50 } } } };
    })
    .persist();
  pool
    .intercept({ path: (p) => p.includes('/Customers/Autopal.Search()'), method: 'POST' })
    .reply<object>((opts) => {
      const body = JSON.parse(String(opts.body)) as Parameters<NonNullable<Fake['searchReply']>>[0];
      const q = query(opts.path);
      const start = Number(q.get('$start'));
      const top = Number(q.get('$top'));
      calls.searches.push({ numbers: body.query.bool.should.map((c) => c.match.primaryPhone), start, top });
      if (fake.searchReply) return fake.searchReply(body, start, top);
      const wanted = new Set(body.query.bool.should.map((c) => c.match.primaryPhone));
      const ids = [...new Set(fake.phones.map((p) => p.entityId!))].filter((id) => wanted.has(primaryOf(id)?.phone ?? ''));
      const docs = ids.map((id) => ({ id, primaryPhone: primaryOf(id)!.phone, primaryPhoneDnd: '0' }));
      return { statusCode: 200, data: { d: { results: docs.slice(start, start + top), summary: { start, pageSize: top, total: docs.length } } } };
    })
    .persist();
  const customer = (id: number) => ({ id, Phones: fake.phones.filter((p) => p.entityId === id).map(({ entityId: _e, ...rest }) => rest) });
  pool
    .intercept({ path: (p) => p.includes('/odata.svc/Customers()'), method: 'GET' })
    .reply<object>((opts) => {
      const ids = [...(query(opts.path).get('$filter') ?? '').matchAll(/id eq (\d+)/g)].map((m) => Number(m[1]));
      calls.customerBatches.push(ids);
      return { statusCode: 200, data: { d: { results: ids.map(customer) } } };
    })
    .persist();
  pool
    .intercept({ path: (p) => /\/odata\.svc\/Customers\(\d+\)/.test(p), method: 'GET' })
    .reply<object>((opts) => {
      const id = Number(/Customers\((\d+)\)/.exec(opts.path)![1]);
      calls.customerBatches.push([id]);
      return { statusCode: 200, data: { d: customer(id) } };
    })
    .persist();
  const upstream = createUpstream({ vendor: 'LOANPRO', baseUrl: MOCK_BASE, timeoutMs: 1000, dispatcher: agent, retry: { maxAttempts: 1 } });
  const client = new LoanProClient(upstream, { batchSize: options.batchSize ?? 50, filterReprobeMs: options.reprobeMs ?? 600_000, now: () => clock.now });
  return { client, calls, clock, agent };
}

function holders(result: NumberResult | undefined): { ids: number[]; primaryOnly: boolean } {
  if (result === undefined || result instanceof UpstreamError) throw new Error('expected phones');
  return { ids: result.phones.map((p) => p.id), primaryOnly: result.primaryOnly };
}

const SEED: WirePhone[] = [
  phone(803, 1178, '6514737960'),
  phone(804, 1178, '6125550147', 0),
  phone(739, 1121, '8662506066', 0),
  phone(738, 1121, '8012364481'),
  phone(178, 555, '2124467013'),
  phone(901, 555, '6125550147', 0),
];

describe('findPhonesByNumber over the Phones collection', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('sends the numbers in chunks of the batch size as one or-filter each, and places every phone under its number', async () => {
    const { client, calls, agent } = setup({ phones: SEED }, { batchSize: 2 });
    close = () => agent.close();
    const numbers = ['6514737960', '8662506066', '6125550147', '2124467013', '4155550100'];
    const found = await client.findPhonesByNumber([...numbers, '6514737960']);
    expect(calls.phones).toEqual([
      ['6514737960', '8662506066'],
      ['6125550147', '2124467013'],
      ['4155550100'],
    ]);
    expect(calls.filters[0]).toBe("phone eq '6514737960' or phone eq '8662506066'");
    expect(holders(found.get('6514737960'))).toEqual({ ids: [803], primaryOnly: false });
    expect(holders(found.get('8662506066'))).toEqual({ ids: [739], primaryOnly: false });
    expect(holders(found.get('6125550147'))).toEqual({ ids: [804, 901], primaryOnly: false });
    expect(holders(found.get('4155550100'))).toEqual({ ids: [], primaryOnly: false });
    expect(calls.searches).toEqual([]);
  });

  it('escapes the filter literal the OData way', async () => {
    expect(odataString("12'3")).toBe("'12''3'");
    const { client, calls, agent } = setup({ phones: [phone(5, 9, "12'3")] });
    close = () => agent.close();
    const found = await client.findPhonesByNumber(["12'3"]);
    expect(calls.filters).toEqual(["phone eq '12''3'"]);
    expect(holders(found.get("12'3")).ids).toEqual([5]);
  });

  it('halves a chunk LoanPro answers 414, and keeps the smaller size', async () => {
    const fake: Fake = {
      phones: SEED,
      phonesReply: (numbers) =>
        numbers.length > 2
          ? { statusCode: 414, data: { error: { message: 'URI too long' } } }
          : { statusCode: 200, data: { d: { results: SEED.filter((p) => numbers.includes(p.phone)) } } },
    };
    const { client, calls, agent } = setup(fake, { batchSize: 4 });
    close = () => agent.close();
    const found = await client.findPhonesByNumber(['6514737960', '8662506066', '6125550147', '2124467013']);
    expect(calls.phones.map((c) => c.length)).toEqual([4, 2, 2]);
    expect(client.phoneBatchSize).toBe(2);
    expect(client.batchSize).toBe(4); // the customers' reads keep their own size
    expect(holders(found.get('2124467013')).ids).toEqual([178]);
    calls.phones.length = 0;
    await client.findPhonesByNumber(['6514737960', '8662506066', '6125550147']);
    expect(calls.phones.map((c) => c.length)).toEqual([2, 1]);
  });

  it.each([408, 422, 429, 503])('a chunk answered %i fails only its own numbers, and changes no mode', async (status) => {
    const fake: Fake = {
      phones: SEED,
      phonesReply: (numbers) =>
        numbers.includes('8662506066')
          ? { statusCode: status, data: { error: { message: 'no' } } }
          : { statusCode: 200, data: { d: { results: SEED.filter((p) => numbers.includes(p.phone)) } } },
    };
    const { client, calls, agent } = setup(fake, { batchSize: 1 });
    close = () => agent.close();
    const found = await client.findPhonesByNumber(['6514737960', '8662506066']);
    expect(found.get('8662506066')).toMatchObject({ vendor: 'LOANPRO', status });
    expect(holders(found.get('6514737960')).ids).toEqual([803]);
    expect(calls.searches).toEqual([]);
    await client.findPhonesByNumber(['6514737960']);
    expect(calls.phones).toHaveLength(3);
  });

  it('fails every number of a chunk holding a record it cannot place (no phone): it might be the one', async () => {
    const fake: Fake = {
      phones: SEED,
      phonesReply: (numbers) => ({
        statusCode: 200,
        data: { d: { results: numbers.includes('8662506066') ? [{ id: 739, entityId: 1121 }] : SEED.filter((p) => numbers.includes(p.phone)) } },
      }),
    };
    const { client, agent } = setup(fake, { batchSize: 2 });
    close = () => agent.close();
    const found = await client.findPhonesByNumber(['6514737960', '8662506066', '2124467013']);
    expect(found.get('6514737960')).toMatchObject({ kind: 'bad_response' });
    expect(found.get('8662506066')).toMatchObject({ kind: 'bad_response' });
    expect(holders(found.get('2124467013')).ids).toEqual([178]);
  });
});

describe('findPhonesByNumber when LoanPro refuses the Phones collection', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  const deprecated: Fake['phonesReply'] = () => ({
    statusCode: 410,
    data: { error: { message: 'Access to retrieve all entities has been deprecated.', type: 'ODataException', code: 410 } },
  });

  it('410: searches customers by primary phone, reads them with their phones, keeps the phones with the number (primaryOnly)', async () => {
    const { client, calls, agent } = setup({ phones: SEED, phonesReply: deprecated });
    close = () => agent.close();
    const found = await client.findPhonesByNumber(['6514737960', '8662506066', '2124467013']);
    expect(calls.searches).toEqual([{ numbers: ['6514737960', '8662506066', '2124467013'], start: 0, top: 100 }]);
    // 8662506066 is only a secondary phone (of 1121): the search cannot find it.
    expect(calls.customerBatches).toEqual([[1178, 555]]);
    expect(holders(found.get('6514737960'))).toEqual({ ids: [803], primaryOnly: true });
    expect(holders(found.get('2124467013'))).toEqual({ ids: [178], primaryOnly: true });
    expect(holders(found.get('8662506066'))).toEqual({ ids: [], primaryOnly: true });
    // The phone read under its customer names it, when LoanPro's nested record left entityId out.
    expect((found.get('6514737960') as { phones: WirePhone[] }).phones[0]!.entityId).toBe(1178);
  });

  it('409 on the filter: the same fallback; the next lookups search directly until the re-probe, which batches again once accepted', async () => {
    let refusing = true;
    const fake: Fake = {
      phones: SEED,
      phonesReply: (numbers) =>
        refusing
          ? { statusCode: 409, data: { error: { message: "The logical operator 'or' is not supported in $filter." } } }
          : { statusCode: 200, data: { d: { results: SEED.filter((p) => numbers.includes(p.phone)) } } },
    };
    const { client, calls, clock, agent } = setup(fake, { reprobeMs: 600_000 });
    close = () => agent.close();
    expect(holders(await client.findPhonesByNumber(['6514737960']).then((m) => m.get('6514737960')))).toEqual({ ids: [803], primaryOnly: true });
    expect([calls.phones.length, calls.searches.length]).toEqual([1, 1]);

    clock.now = 599_999;
    await client.findPhonesByNumber(['6514737960', '2124467013']);
    expect([calls.phones.length, calls.searches.length]).toEqual([1, 2]);

    // The interval passed: one probe, still refused: back to searching for another interval.
    clock.now = 600_000;
    await client.findPhonesByNumber(['6514737960']);
    expect([calls.phones.length, calls.searches.length]).toEqual([2, 3]);
    await client.findPhonesByNumber(['6514737960']);
    expect([calls.phones.length, calls.searches.length]).toEqual([2, 4]);

    refusing = false;
    clock.now = 1_200_000;
    expect(holders(await client.findPhonesByNumber(['6125550147']).then((m) => m.get('6125550147')))).toEqual({ ids: [804, 901], primaryOnly: false });
    await client.findPhonesByNumber(['6514737960']);
    expect([calls.phones.length, calls.searches.length]).toEqual([4, 4]);
  });

  it('pages the search with $start while summary.total says there is more', async () => {
    const many: WirePhone[] = Array.from({ length: 130 }, (_, i) => phone(10_000 + i, 5_000 + i, '6514737960'));
    const { client, calls, agent } = setup({ phones: many, phonesReply: deprecated });
    close = () => agent.close();
    const found = await client.findPhonesByNumber(['6514737960']);
    expect(calls.searches.map((s) => [s.start, s.top])).toEqual([
      [0, 100],
      [100, 100],
    ]);
    expect(holders(found.get('6514737960')).ids).toHaveLength(130);
  });

  it('fails the chunk on a search hit without an id, or a search LoanPro refuses; other chunks stand', async () => {
    const fake: Fake = {
      phones: SEED,
      phonesReply: deprecated,
      searchReply: (body) => {
        const numbers = body.query.bool.should.map((c) => c.match.primaryPhone);
        if (numbers.includes('6514737960')) return { statusCode: 200, data: { d: { results: [{ primaryPhone: '6514737960' }] } } };
        if (numbers.includes('8012364481')) return { statusCode: 500, data: { error: { message: 'boom' } } };
        return { statusCode: 200, data: { d: { results: [{ id: 555, primaryPhone: '2124467013' }], summary: { start: 0, pageSize: 100, total: 1 } } } };
      },
    };
    const { client, agent } = setup(fake, { batchSize: 1 });
    close = () => agent.close();
    const found = await client.findPhonesByNumber(['6514737960', '8012364481', '2124467013']);
    expect(found.get('6514737960')).toMatchObject({ kind: 'bad_response' });
    expect(found.get('8012364481')).toMatchObject({ kind: 'http', status: 500 });
    expect(holders(found.get('2124467013'))).toEqual({ ids: [178], primaryOnly: true });
  });
});
