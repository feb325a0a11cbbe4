import { createContext } from "react";
import type { SessionController } from "./sessionController";

/** The app's one session controller; null outside the providers (a mistake useAuth reports). */
export const SessionContext = createContext<SessionController | null>(null);
