import { QueryTooComplexError } from '../errors/errors.js';

/**
 * Work per GraphQL operation, bounded across the whole operation rather than per field: every resolver that
 * takes ids (over all aliases and variables) takes them from one budget. The default (GRAPHQL_MAX_IDS, 200)
 * keeps one operation's worst case, LoanPro refusing or-filters and reading one customer per call, to about
 * 200 vendor calls.
 */
export class OperationBudget {
  #ids: number;

  constructor(readonly maxIds: number) {
    this.#ids = maxIds;
  }

  /** Takes `count` ids for `field`, or throws QUERY_TOO_COMPLEX (and takes nothing). */
  takeIds(count: number, field: string): void {
    if (count > this.#ids) {
      throw new QueryTooComplexError(
        `${field} would take the operation past ${this.maxIds} records requested by id; split it into smaller operations.`,
      );
    }
    this.#ids -= count;
  }
}
