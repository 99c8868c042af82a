import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A borrower of a RecoveryConnect order (collections).' })
export class Borrower {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  orderId!: string;

  @Field(() => String, { nullable: true })
  firstName!: string | null;

  @Field(() => String, { nullable: true })
  middleInitial!: string | null;

  @Field(() => String, { nullable: true })
  lastName!: string | null;

  @Field(() => String, { nullable: true, description: 'As RecoveryConnect sends it, e.g. "borrower".' })
  role!: string | null;

  @Field(() => Boolean, { nullable: true })
  isPrimary!: boolean | null;

  // `phones` is a field resolver (one RecoveryConnect call per borrower, fetched only when asked for).
}

@ObjectType({ description: 'A RecoveryConnect order, as far as its borrowers go.' })
export class Order {
  @Field(() => ID)
  id!: string;

  @Field(() => [Borrower], { description: 'Every borrower of the order, from one RecoveryConnect call.' })
  borrowers!: Borrower[];
}
