import type { EventEnvelope } from "../../../shared/events.js";
import type { AuditEntry } from "../../../shared/schemas/audit.js";
import type { ListQuery, Page } from "../../../shared/schemas/list.js";
import type { PersonRef } from "../../../shared/schemas/people.js";
import type { EventBus } from "../../core/events/index.js";
import type { Database, Transaction } from "../../db/database.js";
import type { AuditListField, AuditRepository, AuditRow } from "../../repositories/audit.js";
import { peopleByIds } from "../../repositories/names.js";

export const AUDIT_CONSUMER = "audit-log";

/** Stores every event of the catalogue and serves it to administrators, live and paged. */
export class AuditService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditRepository,
    private readonly events: EventBus,
  ) {}

  /** Registers the durable audit-log consumer: every event type, stored once by event id. */
  register(): void {
    this.events.subscribe(AUDIT_CONSUMER, "*", (envelope, tx) => this.record(envelope, tx));
  }

  async record(envelope: EventEnvelope, tx: Transaction): Promise<void> {
    await this.audit.record(tx, toAuditEntry(envelope));
  }

  async list(query: ListQuery<AuditListField>): Promise<Page<AuditRow & { actor?: PersonRef | undefined }>> {
    const page = await this.audit.list(this.db, query);
    const people = await peopleByIds(
      this.db,
      page.items.map((row) => row.actorId),
    );
    return {
      ...page,
      items: page.items.map((row) => ({ ...row, actor: row.actorId ? people.get(row.actorId) : undefined })),
    };
  }

  /** Events as they happen, for the live audit page. Returns the unsubscribe function. */
  onEntry(listener: (entry: AuditEntry) => void): () => void {
    return this.events.listen("*", (envelope) => listener(toAuditEntry(envelope)));
  }
}

function toAuditEntry(envelope: EventEnvelope): AuditEntry {
  return {
    id: envelope.id,
    type: envelope.type,
    actorKind: envelope.actor.kind,
    actorId: envelope.actor.kind === "anonymous" ? null : envelope.actor.id,
    occurredAt: new Date(envelope.occurredAt),
    payload: envelope.payload,
  };
}
