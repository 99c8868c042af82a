/**
 * Stored records -> MessageMedia's JSON. Field order follows the seed article; null fields are omitted, as the
 * vendor's Jackson serialisation does (an assigned number has no `available_after`; an assignment created
 * without label or metadata answers only `id` and `number_id`).
 */
import type {
  Capability,
  Classification,
  NumberType,
  PhoneNumberFormat,
  StoredAssignment,
  StoredNumber,
} from './messagemedia.model.js';

export interface DedicatedNumberWire {
  id: string;
  phone_number: string;
  country: string;
  type: NumberType;
  classification: Classification;
  available_after?: string;
  capabilities: Capability[];
}

export interface AssignmentWire {
  metadata?: Record<string, string>;
  label?: string;
  id: string;
  number_id: string;
}

export interface AssignedNumberWire {
  number: DedicatedNumberWire;
  assignment: AssignmentWire;
}

export interface TokenPaginationWire {
  page_size: number;
  /** Present only while more pages exist (the spec: "Omit or null when there are no further pages"). */
  next_token?: string;
}

export interface ListWire<T> {
  data: T[];
  pagination: TokenPaginationWire;
}

export function numberWire(n: StoredNumber, format: PhoneNumberFormat): DedicatedNumberWire {
  const phone = format === 'digits' && n.phoneNumber.startsWith('+') ? n.phoneNumber.slice(1) : n.phoneNumber;
  return {
    id: n.id,
    phone_number: phone,
    country: n.country,
    type: n.type,
    classification: n.classification,
    ...(n.availableAfter === null ? {} : { available_after: new Date(n.availableAfter).toISOString() }),
    capabilities: [...n.capabilities],
  };
}

export function assignmentWire(a: StoredAssignment): AssignmentWire {
  return {
    ...(a.metadata === null ? {} : { metadata: { ...a.metadata } }),
    ...(a.label === null ? {} : { label: a.label }),
    id: a.id,
    number_id: a.numberId,
  };
}

export function paginationWire(pageSize: number, nextToken: string | undefined): TokenPaginationWire {
  return nextToken === undefined ? { page_size: pageSize } : { page_size: pageSize, next_token: nextToken };
}
