// The example's GraphQL documents. `npm run codegen` reads every graphql(`...`) call under examples/client/src and
// writes ./gql: each call then returns a TypedDocumentNode, so the result and the variables are typed from the
// schema with no hand-written interface. Change a document, run codegen, and the compiler shows what moved.
import { graphql } from './gql/index.js';

/** A LoanPro customer and the phones on file (numbers in E.164; null when the vendor's value cannot be parsed). */
export const CustomerPhonesDocument = graphql(`
  query ExampleCustomerPhones($id: ID!) {
    customer(id: $id) {
      id
      firstName
      lastName
      phones {
        id
        number
        type
        isPrimary
        doNotContact
      }
    }
  }
`);

/** May we contact this number for this purpose now? Every consent source is read fresh on each request. */
export const ContactCheckDocument = graphql(`
  query ExampleContactCheck($number: PhoneNumber!, $purpose: ConsentPurpose!) {
    phone(number: $number) {
      number
      person {
        key
      }
      contactability(purpose: $purpose) {
        allowed
        reasons
        unavailableSources
      }
    }
  }
`);

/** The customer asked to stop: opts the Vibes person out of one subscription list. */
export const OptOutDocument = graphql(`
  mutation ExampleOptOut($personKey: ID!, $listId: ID!) {
    optOutPerson(personKey: $personKey, listId: $listId) {
      listId
      active
      optOutDate
    }
  }
`);
