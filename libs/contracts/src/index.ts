export * from './event.schema';
export * from './detection.schema';
export * from './alert.schema';
export * from './catalogue';
export * from './validation-error';
export * from './access-scope';
export * from './event-time';
export * from './civil-date';
