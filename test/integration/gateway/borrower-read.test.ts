import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BorrowerQuery, OrderBorrowersQuery, OrderQuery } from '../../__generated__/operations.js';
import { BORROWER_READER_KEY, READER_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import {
  BENCH_BORROWER_COUNT,
  BENCH_BORROWER_FIRST,
  BENCH_ORDER_ID,
  DECEASED_BORROWER_ID,
  DOC_BORROWER_ID,
  DOC_ORDER_ID,
  EDGE_BORROWER_ID,
  EDGE_ORDER_ID,
  EDGE_PHONE_IDS,
  EMPTY_ORDER_ID,
  NO_PHONES_BORROWER_ID,
} from '../../../src/simulators/recoveryconnect/recoveryconnect.seed.js';

const DOCUMENT = readFileSync(new URL('../../operations/borrower.graphql', import.meta.url), 'utf8');
const op = (operationName: string) => ({ query: DOCUMENT, operationName });
const LOGIN = '/api/v140/auth';
const borrowersPath = (order: number) => `/api/v140/orders/${order}/borrowers`;
const phonesPath = (order: number, borrower: number) => `${borrowersPath(order)}/${borrower}/phones`;

describe('RecoveryConnect reads over real HTTP to the simulator', () => {
  let gw: TestGateway;
  const rc = () => gw.simulators.recoveryconnect!;
  /** What the simulator saw, logins left out. */
  const dataRequests = () => gw.requests('recoveryconnect').filter((r) => r.path !== LOGIN);

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());
  beforeEach(() => {
    rc().resetData();
    rc().resetFaults();
    gw.resetRequestLog();
  });

  it("answers the docs' order: borrowers from the list, phones from the phones endpoint, numbers in E.164", async () => {
    const res = await gw.gql<OrderQuery>(op('Order'), { id: String(DOC_ORDER_ID) }, { key: BORROWER_READER_KEY });
    expect(res.errors).toBeUndefined();
    const order = res.data!.order!;
    expect(order.id).toBe(String(DOC_ORDER_ID));
    expect(order.borrowers.map((b) => b.id)).toEqual([String(DOC_BORROWER_ID), String(NO_PHONES_BORROWER_ID)]);
    const [spencer, coBorrower] = order.borrowers;
    expect(spencer).toMatchObject({
      orderId: String(DOC_ORDER_ID),
      firstName: 'A_Toney',
      middleInitial: null,
      lastName: 'Spencer',
      role: 'borrower',
      isPrimary: true,
    });
    expect(spencer!.phones).toEqual([
      {
        id: 'recoveryconnect:39317578',
        vendor: 'RECOVERY_CONNECT',
        vendorId: '39317578',
        number: '+16789321578',
        raw: '678-932-1578',
        extension: null,
        type: 'MOBILE',
        typeId: 5,
        isPrimary: null,
        isLandline: null,
        carrier: null,
        mobileCarrierId: null,
        memo: null,
        valid: true,
        doNotContact: false,
      },
      // The docs' second number: area code 887 is not in service, so libphonenumber finds no valid number in it.
      expect.objectContaining({ id: 'recoveryconnect:39317579', number: null, raw: '887-213-6744', type: 'HOME', typeId: 6 }),
    ]);
    expect(coBorrower).toMatchObject({ role: 'co-borrower', isPrimary: false, phones: [] });
    // 1 + N: the borrower list, then one phones call per borrower.
    expect(dataRequests().map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [`GET ${borrowersPath(DOC_ORDER_ID)}`, `GET ${phonesPath(DOC_ORDER_ID, DOC_BORROWER_ID)}`, `GET ${phonesPath(DOC_ORDER_ID, NO_PHONES_BORROWER_ID)}`].sort(),
    );
  });

  it('maps no_contact, valid, carrier ids, extensions, memos, unmapped type ids and unparseable numbers', async () => {
    const res = await gw.gql<OrderQuery>(op('Order'), { id: String(EDGE_ORDER_ID) }, { key: BORROWER_READER_KEY });
    expect(res.errors).toBeUndefined();
    const byId = new Map(res.data!.order!.borrowers.flatMap((b) => b.phones ?? []).map((p) => [p.vendorId, p]));
    expect(byId.get(String(EDGE_PHONE_IDS.noContact))).toMatchObject({ doNotContact: true, mobileCarrierId: 2 });
    expect(byId.get(String(EDGE_PHONE_IDS.invalid))).toMatchObject({ valid: false, doNotContact: false });
    // Type 9 is in no mapping: UNKNOWN, with the vendor's id still visible.
    expect(byId.get(String(EDGE_PHONE_IDS.unknownType))).toMatchObject({ type: 'UNKNOWN', typeId: 9, extension: '22' });
    expect(byId.get(String(EDGE_PHONE_IDS.unknownType))!.memo).toEqual(expect.any(String));
    expect(byId.get(String(EDGE_PHONE_IDS.sharedWithLoanPro))!.number).toBe('+16514737960');
    // Dash-formatted but not a valid NANP number: no E.164, the vendor's spelling kept.
    expect(byId.get(String(EDGE_PHONE_IDS.notNanp))).toMatchObject({ number: null, raw: '123-456-7890' });
    const deceased = res.data!.order!.borrowers.find((b) => b.id === String(DECEASED_BORROWER_ID))!;
    expect(deceased.phones!.map((p) => p.vendorId)).toEqual([String(EDGE_PHONE_IDS.notNanp)]);
  });

  it('maps phone type ids through RECOVERYCONNECT_PHONE_TYPES', async () => {
    const mapped = await startGateway({ env: { RECOVERYCONNECT_PHONE_TYPES: '5=WORK,9=fax' } });
    try {
      const res = await mapped.gql<OrderQuery>(op('Order'), { id: String(EDGE_ORDER_ID) }, { key: BORROWER_READER_KEY });
      expect(res.errors).toBeUndefined();
      const phones = res.data!.order!.borrowers.flatMap((b) => b.phones ?? []);
      expect(phones.find((p) => p.typeId === 9)!.type).toBe('FAX');
      // The variable replaces the defaults: 6 is no longer mapped.
      for (const phone of phones.filter((p) => p.typeId === 6)) expect(phone.type).toBe('UNKNOWN');
      const doc = await mapped.gql<OrderQuery>(op('Order'), { id: String(DOC_ORDER_ID) }, { key: BORROWER_READER_KEY });
      expect(doc.data!.order!.borrowers[0]!.phones!.map((p) => [p.typeId, p.type])).toEqual([
        [5, 'WORK'],
        [6, 'UNKNOWN'],
      ]);
    } finally {
      await mapped.close();
    }
  });

  it('reaches the physical minimum for 20 borrowers: 1 + 20 requests, each borrower once', async () => {
    const res = await gw.gql<OrderQuery>(op('Order'), { id: String(BENCH_ORDER_ID) }, { key: BORROWER_READER_KEY });
    expect(res.errors).toBeUndefined();
    const borrowers = res.data!.order!.borrowers;
    expect(borrowers).toHaveLength(BENCH_BORROWER_COUNT);
    for (const b of borrowers) expect(b.phones!.length).toBeGreaterThan(0);
    const data = dataRequests();
    expect(data).toHaveLength(1 + BENCH_BORROWER_COUNT);
    expect(data.filter((r) => r.path === borrowersPath(BENCH_ORDER_ID))).toHaveLength(1);
    const phonePaths = new Set(data.filter((r) => r.path.endsWith('/phones')).map((r) => r.path));
    const expected = Array.from({ length: BENCH_BORROWER_COUNT }, (_, i) => phonesPath(BENCH_ORDER_ID, BENCH_BORROWER_FIRST + i));
    expect([...phonePaths].sort()).toEqual(expected.sort());
  });

  it('fetches the same borrower once however often a query asks, and shares the borrower list with borrower()', async () => {
    const query = `query($o: ID!, $b: ID!) {
      a: order(id: $o) { borrowers { id phones { id } } }
      b: order(id: $o) { borrowers { id phones { number } } }
      one: borrower(orderId: $o, borrowerId: $b) { id phones { raw } }
    }`;
    const res = await gw.gql(query, { o: String(DOC_ORDER_ID), b: String(DOC_BORROWER_ID) }, { key: BORROWER_READER_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ one: { id: String(DOC_BORROWER_ID), phones: [{ raw: '678-932-1578' }, { raw: '887-213-6744' }] } });
    expect(dataRequests()).toHaveLength(3);
  });

  it('keeps two orders of one query apart: a borrower id under the wrong order is not found, nothing shared', async () => {
    const query = `query($doc: ID!, $edge: ID!, $b: ID!) {
      doc: order(id: $doc) { borrowers { id phones { id } } }
      edge: order(id: $edge) { borrowers { id phones { id } } }
      right: borrower(orderId: $doc, borrowerId: $b) { id }
      wrong: borrower(orderId: $edge, borrowerId: $b) { id }
    }`;
    const res = await gw.gql<Record<string, { borrowers: Array<{ id: string; phones: Array<{ id: string }> }> } | { id: string } | null>>(
      query,
      { doc: String(DOC_ORDER_ID), edge: String(EDGE_ORDER_ID), b: String(DOC_BORROWER_ID) },
      { key: BORROWER_READER_KEY },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!['right']).toEqual({ id: String(DOC_BORROWER_ID) });
    expect(res.data!['wrong']).toBeNull();
    const doc = res.data!['doc'] as { borrowers: Array<{ phones: Array<{ id: string }> }> };
    const edge = res.data!['edge'] as { borrowers: Array<{ phones: Array<{ id: string }> }> };
    const docPhones = doc.borrowers.flatMap((b) => b.phones.map((p) => p.id));
    const edgePhones = edge.borrowers.flatMap((b) => b.phones.map((p) => p.id));
    expect(docPhones.filter((id) => edgePhones.includes(id))).toEqual([]);
    // Two lists, and one phones call per borrower of each order (2 + 3).
    const data = dataRequests();
    expect(data.filter((r) => r.path.endsWith('/borrowers')).map((r) => r.path).sort()).toEqual([borrowersPath(DOC_ORDER_ID), borrowersPath(EDGE_ORDER_ID)].sort());
    expect(data.filter((r) => r.path.endsWith('/phones'))).toHaveLength(2 + 3);
    expect(data.some((r) => r.path === phonesPath(EDGE_ORDER_ID, DOC_BORROWER_ID))).toBe(false);
  });

  it('answers null for an unknown order, an order without borrowers as empty, and reads borrowers without phones in one call', async () => {
    const unknown = await gw.gql<OrderQuery>(op('Order'), { id: '99999999' }, { key: BORROWER_READER_KEY });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data!.order).toBeNull();
    const empty = await gw.gql<OrderQuery>(op('Order'), { id: String(EMPTY_ORDER_ID) }, { key: BORROWER_READER_KEY });
    expect(empty.data!.order).toEqual({ id: String(EMPTY_ORDER_ID), borrowers: [] });
    gw.resetRequestLog();
    const names = await gw.gql<OrderBorrowersQuery>(op('OrderBorrowers'), { id: String(BENCH_ORDER_ID) }, { key: BORROWER_READER_KEY });
    expect(names.data!.order!.borrowers).toHaveLength(BENCH_BORROWER_COUNT);
    expect(dataRequests()).toHaveLength(1);
  });

  it('answers borrower(orderId, borrowerId), null for a borrower of another order', async () => {
    const res = await gw.gql<BorrowerQuery>(op('Borrower'), { orderId: String(EDGE_ORDER_ID), borrowerId: String(EDGE_BORROWER_ID) }, { key: BORROWER_READER_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!.borrower).toMatchObject({ id: String(EDGE_BORROWER_ID), orderId: String(EDGE_ORDER_ID) });
    expect(res.data!.borrower!.phones).toHaveLength(4);
    const other = await gw.gql<BorrowerQuery>(op('Borrower'), { orderId: String(DOC_ORDER_ID), borrowerId: String(EDGE_BORROWER_ID) }, { key: BORROWER_READER_KEY });
    expect(other.errors).toBeUndefined();
    expect(other.data!.borrower).toBeNull();
  });

  it('refuses bad ids before any RecoveryConnect call', async () => {
    for (const [id, argument] of [
      ['-5', 'id'],
      ['0', 'id'],
      ['abc', 'id'],
      ['1.5', 'id'],
    ] as const) {
      const res = await gw.gql<OrderQuery>(op('Order'), { id }, { key: BORROWER_READER_KEY });
      expect(res.data!.order).toBeNull();
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
    const borrower = await gw.gql<BorrowerQuery>(op('Borrower'), { orderId: String(DOC_ORDER_ID), borrowerId: '-1' }, { key: BORROWER_READER_KEY });
    expect(borrower.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'borrowerId' });
    expect(gw.requests('recoveryconnect')).toEqual([]);
  });

  it('needs borrowers:read, and calls nothing without it', async () => {
    const res = await gw.gql<OrderQuery>(op('Order'), { id: String(DOC_ORDER_ID) }, { key: READER_KEY });
    expect(res.data!.order).toBeNull();
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'borrowers:read' });
    const borrower = await gw.gql<BorrowerQuery>(op('Borrower'), { orderId: String(DOC_ORDER_ID), borrowerId: String(DOC_BORROWER_ID) }, { key: READER_KEY });
    expect(borrower.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'borrowers:read' });
    expect(gw.requests('recoveryconnect')).toEqual([]);
  });
});
