import { Field, ObjectType } from 'type-graphql';
import { DedicatedNumber } from './number.type.js';

/**
 * Relay's PageInfo, as the contract names it. The first connection of the schema lives here; when a second one
 * appears, this belongs in schema/common.
 */
@ObjectType({ description: 'Where a page of a connection ends and whether more follow.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when another page follows: ask for it with after: endCursor.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the last edge; pass it as `after` for the next page.' })
  endCursor!: string | null;
}

@ObjectType({ description: 'One MessageMedia number of a page, with its cursor.' })
export class DedicatedNumberEdge {
  @Field(() => String, { description: 'Opaque. Valid as `after` only for the same field with the same filter arguments.' })
  cursor!: string;

  /**
   * An Error for a record MessageMedia sent that the gateway cannot read: that edge's node alone is null (with
   * its error), and its cursor still pages on.
   */
  @Field(() => DedicatedNumber, {
    nullable: true,
    description: 'Null only when MessageMedia sent a record the gateway cannot read (with an error at this path).',
  })
  node!: DedicatedNumber | Error;
}

@ObjectType({ description: 'One page of MessageMedia dedicated numbers (one MessageMedia call).' })
export class DedicatedNumberConnection {
  @Field(() => [DedicatedNumberEdge], { description: "The page's numbers, in MessageMedia's order." })
  edges!: DedicatedNumberEdge[];

  @Field(() => PageInfo, { description: 'Whether more pages follow, and where to continue.' })
  pageInfo!: PageInfo;
}
