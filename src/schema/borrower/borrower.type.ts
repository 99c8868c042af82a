import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A borrower of a RecoveryConnect order (collections).' })
export class Borrower {
  @Field(() => ID, { description: 'RecoveryConnect borrower id (a positive whole number).' })
  id!: string;

  @Field(() => ID, { description: 'The RecoveryConnect order the borrower belongs to.' })
  orderId!: string;

  @Field(() => String, { nullable: true, description: 'RecoveryConnect firstname.' })
  firstName!: string | null;

  @Field(() => String, { nullable: true, description: 'RecoveryConnect middle_initial.' })
  middleInitial!: string | null;

  @Field(() => String, { nullable: true, description: 'RecoveryConnect lastname.' })
  lastName!: string | null;

  @Field(() => String, { nullable: true, description: 'As RecoveryConnect sends it, e.g. "borrower".' })
  role!: string | null;

  @Field(() => Boolean, { nullable: true, description: "RecoveryConnect is_primary: the order's primary borrower. Null when RecoveryConnect does not say." })
  isPrimary!: boolean | null;

  // `phones` is a field resolver (one RecoveryConnect call per borrower, fetched only when asked for).
}

@ObjectType({ description: 'A RecoveryConnect order, as far as its borrowers go.' })
export class Order {
  @Field(() => ID, { description: 'RecoveryConnect order id (a positive whole number).' })
  id!: string;

  @Field(() => [Borrower], { description: 'Every borrower of the order, from one RecoveryConnect call.' })
  borrowers!: Borrower[];
}
