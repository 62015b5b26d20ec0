export { IngestionHealthRepository, refusalReasons, type IngestionDelta, type MemberIngestionHealth, type RefusalReason } from './ingestion-health.repository';
