import { registerEnumType } from 'type-graphql';

export enum CustomerType {
  INDIVIDUAL = 'INDIVIDUAL',
  COMPANY = 'COMPANY',
  FLOORING = 'FLOORING',
}

registerEnumType(CustomerType, { name: 'CustomerType' });
