import { shortId } from "../../shared/ids";
import type { PersonRef } from "../../shared/schemas/people";
import { CopyId } from "./CopyId";

/** "Ada King ada@example.com [Copy id]"; a deleted account falls back to its short id. */
export function PersonLabel({ person, id }: { person: PersonRef | undefined; id: string }) {
  if (!person) {
    return (
      <code title={id} className="muted-line">
        {shortId(id)}
      </code>
    );
  }
  return (
    <span className="person-label" data-testid="person">
      <span title={id}>{person.name}</span> <span className="muted-line">{person.email}</span>{" "}
      <CopyId id={person.id} what={person.name} />
    </span>
  );
}
