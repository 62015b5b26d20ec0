/** The one boundary parser of every app (libs/platform); kept here so the alerting controllers import it as before. */
export { parseOr400 } from '@soc/platform';
