/**
 * SBT control routes of the LoanPro simulator (no auth, not logged, never faulted; errors `{"error": "..."}`).
 * They stand in for the customer's handset: tests and demos "receive the text" here.
 *
 *   GET    /__sim/sbt/pins/{phoneId}               {"account": "12345"|null, "marketing": ...}: the PINs outstanding
 *   GET    /__sim/sbt/texts[?customerPhoneId=N]    {"sent": n, "texts": [SbtText...]} oldest first
 *   DELETE /__sim/sbt/texts                        forget the texts held (the sent count stays)
 *   GET    /__sim/sbt/settings                     {"verificationByText": "pin"|"none"}
 *   PUT    /__sim/sbt/settings                     merge, e.g. {"verificationByText": "none"}
 */
import { isPlainObject } from '../framework/http.js';
import type { SimRequest, SimResponse } from '../framework/http.js';
import type { RouteParams, Router } from '../framework/router.js';
import { pinsOf } from './loanpro.sbt-state.js';
import type { SbtState } from './loanpro.sbt-state.js';
import type { LoanProStore } from './loanpro.store.js';

const fail = (status: number, error: string): SimResponse => ({ status, json: { error } });

function phoneIdOf(raw: string | null | undefined): number | undefined {
  if (raw === null || raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id > 0 ? id : undefined;
}

export function registerSbtControlRoutes(control: Router, store: LoanProStore, sbt: SbtState): void {
  control.add('GET', /^\/__sim\/sbt\/pins\/(?<phoneId>[^/]+)$/, (_req: SimRequest, params: RouteParams) => {
    const id = phoneIdOf(params['phoneId']);
    if (id === undefined) return fail(400, 'phoneId must be a positive integer');
    const phone = store.phone(id);
    if (phone === undefined) return fail(404, 'no such phone');
    return { status: 200, json: pinsOf(phone) };
  });
  control.add('GET', /^\/__sim\/sbt\/texts$/, (req: SimRequest) => {
    const raw = req.query.get('customerPhoneId');
    const id = raw === null ? undefined : phoneIdOf(raw);
    if (raw !== null && id === undefined) return fail(400, 'customerPhoneId must be a positive integer');
    return { status: 200, json: { sent: sbt.textsSent, texts: sbt.texts(id) } };
  });
  control.add('DELETE', /^\/__sim\/sbt\/texts$/, () => {
    sbt.clearTexts();
    return { status: 204 };
  });
  control.add('GET', /^\/__sim\/sbt\/settings$/, () => ({ status: 200, json: sbt.settings }));
  control.add('PUT', /^\/__sim\/sbt\/settings$/, async (req: SimRequest) => {
    let body: unknown;
    try {
      body = await req.readJson();
    } catch (err) {
      return fail(400, err instanceof Error ? err.message : 'bad body');
    }
    if (!isPlainObject(body)) return fail(400, 'body must be a JSON object');
    try {
      return { status: 200, json: sbt.updateSettings(body) };
    } catch (err) {
      return fail(400, err instanceof Error ? err.message : 'invalid settings');
    }
  });
}
