export { createSimulatorServer, CONTROL_PREFIX, DEFAULT_MAX_BODY_BYTES, timerSleeper } from './server.js';
export type { SimSleeper, SimulatorServer, SimulatorServerOptions, StartedServer } from './server.js';
export { createRouter } from './router.js';
export type { RouteHandler, RouteMatch, RouteParams, Router } from './router.js';
export {
  DEFAULT_ERROR_STATUS,
  decodePath,
  defaultErrorResponder,
  isPlainObject,
  jsonResponse,
  parseJsonBody,
  readBodyLimited,
  SimError,
  SimHttpError,
  writeResponse,
} from './http.js';
export type { ErrorResponder, SimErrorInfo, SimErrorKind, SimHandler, SimRequest, SimResponse } from './http.js';
export {
  decideFault,
  FAULT_KEYS,
  FaultBudget,
  FaultConfigError,
  mergeFaults,
  NO_FAULTS,
  pickFaultOptions,
} from './faults.js';
export type { FaultDecision, FaultOptions, FaultSettings, InjectedFault } from './faults.js';
export { createRequestLog } from './request-log.js';
export type { FaultOutcome, RequestLog, RequestLogEntry, RequestLogFilter, RequestLogInput } from './request-log.js';
export { createPrng, randomSeed } from './prng.js';
export type { Prng } from './prng.js';
