/**
 * The example client (examples/client) against a gateway over real HTTP with the LoanPro and Vibes simulators:
 * its typed documents, its request() helper and its report, as a frontend team would run it.
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { ConsentPurpose, Vendor } from '../../../examples/client/src/gql/graphql.js';
import { main, optionsFromEnv, type ContactReport, type ExampleOptions } from '../../../examples/client/src/main.js';
import { GatewayRequestError, request } from '../../../examples/client/src/request.js';
import { CustomerPhonesDocument } from '../../../examples/client/src/operations.js';
import { ADMIN_KEY, API_KEYS, READER_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';

const GRACE = '+16514737960'; // customer 1178's phone 803; Vibes person on 7001 (MARKETING) and 7002 (ACCOUNT)
const GRACE_PERSON = '2b6f0cc1-7d0e-4f3a-9c8e-5a1d3e7b9f01';
/** customers:read and consent:read, no persons:read. */
const PARTIAL_KEY = 'example-partial-key-0123456789';

describe('examples/client', () => {
  let gw: TestGateway;
  let options: (overrides?: Partial<ExampleOptions>) => ExampleOptions;

  beforeAll(async () => {
    gw = await startGateway({
      listen: true,
      vendors: ['loanpro', 'vibes'],
      env: { VIBES_LIST_PURPOSES: '7001=MARKETING,7002=ACCOUNT', API_KEYS: `${API_KEYS};${PARTIAL_KEY}=customers:read,consent:read` },
    });
    options = (overrides = {}) => ({ url: `${gw.url}/graphql`, apiKey: ADMIN_KEY, customerId: '1178', purpose: 'MARKETING', ...overrides });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('reports the customer, each phone and the consent answer, typed from the schema', async () => {
    gw.resetRequestLog();
    const report = await main(options({ purpose: 'ACCOUNT' }));
    expectTypeOf(report).toEqualTypeOf<ContactReport>();
    expectTypeOf(report.purpose).toEqualTypeOf<ConsentPurpose>();
    expectTypeOf(report.phones[0]!.contactability).toEqualTypeOf<{ allowed: boolean; reasons: Array<string>; unavailableSources: Array<Vendor> } | null>();
    expect(report).toEqual({
      customer: { id: '1178', name: 'Grace Lindqvist' },
      purpose: 'ACCOUNT',
      phones: [
        {
          phoneId: 'loanpro:803',
          number: GRACE,
          type: 'MOBILE',
          isPrimary: true,
          doNotContact: false,
          personKey: GRACE_PERSON,
          contactability: {
            allowed: true,
            reasons: [
              'Vibes list 7002 grants ACCOUNT consent since 2019-07-02 (vendor record).',
              expect.stringMatching(/^LoanPro SBT grants ACCOUNT consent since \d{4}-\d{2}-\d{2} \(vendor record, verified by text\)\.$/),
              "RecoveryConnect cannot be searched by number, so its flags count as the gateway last read them from a borrower's phones (none recorded).",
            ],
            unavailableSources: [],
          },
          optOut: null,
        },
      ],
      errors: [],
    });
    // No opt-out asked for: nothing but reads reached the vendors.
    expect(gw.requests('loanpro').map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(new Set(gw.requests('vibes').map((r) => r.method))).toEqual(new Set(['GET']));
  });

  it('opts the person out of a list and asks again: the number may no longer be texted for that purpose', async () => {
    const before = await main(options());
    expect(before.phones.map((p) => p.contactability?.allowed)).toEqual([true]);
    const after = await main(options({ optOutListId: '7001' }));
    expect(after.phones).toHaveLength(1);
    const [phone] = after.phones;
    expect(phone!.optOut).toMatchObject({ listId: '7001', active: false });
    expect(phone!.optOut!.optOutDate).toEqual(expect.any(String));
    expect(phone!.contactability).toMatchObject({ allowed: false, unavailableSources: [] });
    expect(after.errors).toEqual([]);
  });

  it('answers no customer for an id LoanPro does not know', async () => {
    expect(await main(options({ customerId: '999999' }))).toEqual({ customer: null, purpose: 'MARKETING', phones: [], errors: [] });
  });

  it("surfaces the gateway's error code when a request yields no data", async () => {
    const wrongKey = main(options({ apiKey: 'not-a-key-0123456789abcdef' }));
    await expect(wrongKey).rejects.toBeInstanceOf(GatewayRequestError);
    await expect(wrongKey).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    // customers:read alone: the customer answers, the consent lookup (consent:read) is refused.
    const noConsent = main(options({ apiKey: READER_KEY }));
    await expect(noConsent).rejects.toMatchObject({
      code: 'FORBIDDEN',
      errors: [
        { code: 'FORBIDDEN', path: ['phone', 'person'], requestId: expect.any(String) },
        { code: 'FORBIDDEN', path: ['phone', 'contactability'], requestId: expect.any(String) },
      ],
    });
  });

  it('reports a gateway it cannot reach as NETWORK_ERROR', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(main(options({ url: `http://127.0.0.1:${port}/graphql` }))).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0, errors: [] });
  });

  it('keeps the data of a partial answer and reports the failed fields with their codes', async () => {
    // consent:read without persons:read: contactability answers, phone.person is null with FORBIDDEN.
    const report = await main(options({ apiKey: PARTIAL_KEY, purpose: 'ACCOUNT' }));
    expect(report.phones).toMatchObject([{ number: GRACE, personKey: null, contactability: { allowed: true } }]);
    expect(report.errors).toEqual([
      { code: 'FORBIDDEN', message: 'This field needs the persons:read scope.', path: ['phone', 'person'], requestId: expect.any(String) },
    ]);
  });

  it('types variables from the document: a required one cannot be left out', async () => {
    const client = options();
    // @ts-expect-error `id` is required by ExampleCustomerPhones.
    const missing = request(client, CustomerPhonesDocument, {});
    await expect(missing).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('reads the gateway URL and key from the environment, with the demo defaults', () => {
    expect(optionsFromEnv({}, [])).toEqual({ url: 'http://localhost:4000/graphql', apiKey: undefined, customerId: '1178', purpose: 'MARKETING', optOutListId: undefined });
    expect(optionsFromEnv({ SWITCHBOARD_URL: 'http://gw:4000/graphql', SWITCHBOARD_API_KEY: 'k' }, ['1121', 'ACCOUNT', '7002'])).toEqual({
      url: 'http://gw:4000/graphql',
      apiKey: 'k',
      customerId: '1121',
      purpose: 'ACCOUNT',
      optOutListId: '7002',
    });
    expect(() => optionsFromEnv({}, ['1178', 'SPAM'])).toThrow('purpose must be ACCOUNT, COLLECTIONS or MARKETING, not SPAM');
  });
});
