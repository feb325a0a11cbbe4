export { openEventTransport, type TransportConfig } from "./create-transport.js";
export { type ErrorContext, ErrorReporter, safeErrorMessage } from "./error-reporter.js";
export {
  type DeliveryObservation,
  EventBus,
  type EventBusOptions,
  type EventHandler,
  type EventListener,
  InvalidEventError,
  type SubscribeOptions,
} from "./event-bus.js";
export { type DeadLetter, MemoryTransport, type MemoryTransportOptions } from "./memory-transport.js";
export { defaultRelayOptions, OutboxRelay, type OutboxRelayOptions } from "./outbox-relay.js";
export { RabbitMqTransport, type RabbitMqTransportOptions, rabbitNames } from "./rabbitmq-transport.js";
export type { Binding, ConsumeOptions, Delivery, DeliveryHandler, EventTransport, LiveListener } from "./transport.js";
