/**
 * The page-size bound of both number connections: MessageMedia's `page_size` range (1..100; the vendor's maximum
 * is undocumented, 100 is what its gateway code accepts in the simulator). Plain constants, no decorators: the
 * datasource reads them too, and `npm run simulators` loads the datasource without reflect-metadata.
 */
export const MAX_NUMBERS_PAGE = 100;
export const DEFAULT_NUMBERS_PAGE = 50;
