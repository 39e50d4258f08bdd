// The REST API's JSON shapes, as the page reads them: type-only re-exports of the API contract
// (src/api/contract.ts, TypeBox schemas the server serialises with), so no copy is kept here.
// `export type` is erased by the build: the page bundles none of the server's code.
export type {
  Currency,
  Facility,
  SwapLineSummary as SwapLine,
  Fee,
  Kind,
  Leg,
  Money,
  Participant,
  Party,
  Payment,
  PaymentEvent,
  PaymentPageBody as PaymentPage,
  PaymentStatusCode as PaymentStatus,
  Quote,
  ScreeningMatch,
  NetworkStatus as Status,
} from '../../../api/contract.js';
