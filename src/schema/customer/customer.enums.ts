import { registerEnumType } from 'type-graphql';

export enum CustomerType {
  INDIVIDUAL = 'INDIVIDUAL',
  COMPANY = 'COMPANY',
  FLOORING = 'FLOORING',
}

registerEnumType(CustomerType, {
  name: 'CustomerType',
  description: 'LoanPro customerType.',
  valuesConfig: {
    INDIVIDUAL: { description: 'customer.type.individual: a person.' },
    COMPANY: { description: 'customer.type.company: a business (see companyName and contactName).' },
    FLOORING: { description: "customer.type.flooringCustomer: LoanPro's floor-plan (dealer inventory) financing customer." },
  },
});
