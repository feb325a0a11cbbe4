/**
 * Who someone is, as lists show them: name and email, with the id for links and "copy id".
 * Lists carry it beside the bare id (`ownerId`, `actorId`) so the screen shows people, not UUIDs.
 */
export interface PersonRef {
  id: string;
  name: string;
  email: string;
}
