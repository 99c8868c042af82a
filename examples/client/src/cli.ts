// npx tsx examples/client/src/cli.ts [customerId=1178] [purpose=MARKETING] [optOutListId]
// SWITCHBOARD_URL (default http://localhost:4000/graphql) and SWITCHBOARD_API_KEY (unset: demo mode has no auth).
import { GatewayRequestError } from './request.js';
import { main, optionsFromEnv } from './main.js';

try {
  const report = await main(optionsFromEnv(process.env, process.argv.slice(2)));
  if (!report.customer) {
    console.log('No such customer.');
  } else {
    console.log(`${report.customer.name} (customer ${report.customer.id}), ${report.purpose}:`);
    for (const phone of report.phones) {
      const answer = phone.contactability;
      const verdict = answer ? (answer.allowed ? 'may be contacted' : 'must not be contacted') : 'no answer';
      console.log(`  ${phone.number ?? '(unparseable number)'} ${phone.type}${phone.isPrimary ? ' primary' : ''}: ${verdict}`);
      for (const reason of answer?.reasons ?? []) console.log(`    - ${reason}`);
      if (phone.optOut) console.log(`    opted out of list ${phone.optOut.listId} (active: ${phone.optOut.active})`);
    }
  }
  for (const error of report.errors) console.log(`partial answer: ${error.code} at ${error.path?.join('.') ?? '-'}: ${error.message}`);
} catch (err) {
  if (!(err instanceof GatewayRequestError)) throw err;
  console.error(`${err.code}: ${err.message}`);
  process.exitCode = 1;
}
