/**
 * The seed's SBT flow end to end (seed 000_9f4734d96bf1add0, vendor-apis.md 1.9), over real HTTP to the LoanPro and
 * Vibes simulators, a real ledger and a live graphql-ws subscription: find the phone's id, request verification,
 * "receive the texts" through the simulator's control API, confirm both purposes, watch contactability flip to
 * allowed; then a Vibes opt-out callback turns MARKETING back to blocked, seen live on consentChanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import { callbackText, post, SETTLE, subscriptionStarted, waitForLog, parsedLogs } from '../consent/gateway.fixtures.js';
import { subscribeConsent } from '../consent/graphql-ws.fixtures.js';

const TOMAS = '1183'; // LoanPro customer whose phone 5463 is the seed's (two PINs pending)
const NUMBER = '+16785012290';

const PHONES = `query($id: ID!) { customer(id: $id) { phones { id vendorId number
  consents { purpose status source evidence }
  account: contactability(purpose: ACCOUNT) { allowed reasons }
  marketing: contactability(purpose: MARKETING) { allowed reasons unavailableSources } } } }`;
const REQUEST = 'mutation($id: ID!, $key: String!) { requestPhoneVerification(customerPhoneId: $id, idempotencyKey: $key) { phone { id number } pending } }';
const CONFIRM =
  'mutation($id: ID!, $purpose: ConsentPurpose!, $pin: String!) { confirmPhoneVerification(customerPhoneId: $id, purpose: $purpose, pin: $pin) { number purpose status source evidence } }';

interface PhoneView {
  id: string;
  vendorId: string;
  number: string;
  consents: Array<{ purpose: string; status: string; source: string; evidence: string | null }>;
  account: { allowed: boolean; reasons: string[] };
  marketing: { allowed: boolean; reasons: string[]; unavailableSources: string[] };
}

describe('SBT verification, the seed flow end to end', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway({ listen: true, vendors: ['loanpro', 'vibes'], env: { VIBES_LIST_PURPOSES: '7001=MARKETING,7002=ACCOUNT' } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  async function phoneOfTomas(): Promise<PhoneView> {
    const res = await gw.gql<{ customer: { phones: PhoneView[] } }>(PHONES, { id: TOMAS }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    const phone = res.data!.customer.phones.find((p) => p.number === NUMBER);
    expect(phone).toBeDefined();
    return phone!;
  }

  it('request, receive the PINs, confirm both purposes, contact allowed; a Vibes opt-out blocks MARKETING again, live', async () => {
    // 1. Find the phone's id (the seed's first step) and see what it says before: PINs out, nothing confirmed.
    const before = await phoneOfTomas();
    expect(before.id).toBe('loanpro:5463');
    expect(before.marketing.allowed).toBe(false);
    expect(before.marketing.reasons[0]).toMatch(/^LoanPro SBT has MARKETING consent pending confirmation since \d{4}-\d{2}-\d{2} \(vendor record, verification PIN sent, not confirmed\)\.$/);

    // 2. Request verification: LoanPro texts two PINs.
    const textsBefore = gw.simulators.loanpro!.sbtTextsSent();
    const requested = await gw.gql<{ requestPhoneVerification: { phone: { id: string; number: string }; pending: string[] } }>(
      REQUEST,
      { id: before.id, key: 'seed-flow-1' },
      { key: ADMIN_KEY },
    );
    expect(requested.errors).toBeUndefined();
    expect(requested.data!.requestPhoneVerification).toEqual({ phone: { id: 'loanpro:5463', number: NUMBER }, pending: ['ACCOUNT', 'MARKETING'] });
    expect(gw.simulators.loanpro!.sbtTextsSent() - textsBefore).toBe(2);

    // 3. "Receive the texts": the PINs, from the simulator's control API as a demo would read them.
    const pinsRes = await fetch(`${gw.simulators.loanpro!.url}/__sim/sbt/pins/${before.vendorId}`);
    expect(pinsRes.status).toBe(200);
    const pins = (await pinsRes.json()) as { account: string | null; marketing: string | null };
    expect(pins.account).toMatch(/^\d+$/);
    expect(pins.marketing).toMatch(/^\d+$/);

    // 4. Confirm both purposes: each is a GRANTED ledger event with PIN_CONFIRMED.
    for (const [purpose, pin] of [['ACCOUNT', pins.account], ['MARKETING', pins.marketing]] as const) {
      const confirmed = await gw.gql<{ confirmPhoneVerification: Record<string, string> }>(CONFIRM, { id: before.id, purpose, pin }, { key: ADMIN_KEY });
      expect(confirmed.errors).toBeUndefined();
      expect(confirmed.data!.confirmPhoneVerification).toEqual({ number: NUMBER, purpose, status: 'GRANTED', source: 'SBT', evidence: 'PIN_CONFIRMED' });
    }

    // 5. Contactability flips to allowed, from LoanPro's flags and the ledger alike.
    const after = await phoneOfTomas();
    expect(after.account.allowed).toBe(true);
    expect(after.marketing.allowed).toBe(true);
    expect(after.consents.filter((c) => c.purpose === 'MARKETING').map((c) => `${c.status} ${c.source} ${c.evidence}`)).toEqual([
      'GRANTED SBT VENDOR_FLAG',
      'GRANTED SBT PIN_CONFIRMED',
    ]);

    // 6. A Vibes opt-out of the MARKETING list arrives as a callback: the subscriber sees it live, and MARKETING is blocked.
    const started = parsedLogs(gw.logs).filter(subscriptionStarted).length;
    const live = subscribeConsent(gw.url!, { connectionParams: { 'x-api-key': ADMIN_KEY } }, { number: NUMBER });
    try {
      await waitForLog(gw.logs, subscriptionStarted, started + 1);
      const callback = callbackText({ type: 'subscription_removed', eventId: 'seed-flow-opt-out', date: new Date().toISOString(), mdn: NUMBER, listId: '7001', reason: 'user_opt_out' });
      expect((await post(gw.vibesCallbackUrl!, callback)).status).toBe(200);
      const [event] = await live.take(1);
      expect(event).toMatchObject({ number: NUMBER, purpose: 'MARKETING', status: 'REVOKED', source: 'VIBES', evidence: 'SUBSCRIPTION_CALLBACK' });
    } finally {
      await live.dispose();
    }
    await expect.poll(async () => (await phoneOfTomas()).marketing.allowed, SETTLE).toBe(false);
    const blocked = await phoneOfTomas();
    expect(blocked.marketing.reasons[0]).toMatch(/^Vibes list 7001 revoked MARKETING consent on \d{4}-\d{2}-\d{2} \(subscription callback, user_opt_out\)\.$/);
    // ACCOUNT is untouched by a MARKETING opt-out.
    expect(blocked.account.allowed).toBe(true);
  });
});
