import { createContext } from "react";
import type { WebSocketClient } from "../api/trpc";

/** The one WebSocket the app shares; null outside the providers (a mistake useWebSocket reports). */
export const WebSocketContext = createContext<WebSocketClient | null>(null);
