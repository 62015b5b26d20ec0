export { RelpFramer, RelpFramingError, relpMaxDataBytes, type RelpFrame, type RelpFramerOptions } from './relp-framer';
export { formatRelpOffers, parseRelpOffers, type OffersResult, type RelpOffers } from './relp-offers';
export { relpError, relpHumanText, relpOk, relpResponse, relpServerClose, type RelpStatus } from './relp-responses';
export { RelpResponseOrder } from './relp-response-order';
export { RelpServerSession, type RelpServerSessionOptions, type RelpServerStep } from './relp-server-session';
